<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
    <context>
        <name>Cli</name>
        <message>
            <source>KPI Desktop: daily work log and Decree 335 evaluation. Without a command the desktop application starts.</source>
            <translation>KPI Desktop: nhật ký công việc hằng ngày và đánh giá theo Nghị định 335. Không có lệnh thì ứng dụng máy tính sẽ khởi động.</translation>
        </message>
        <message>
            <source>folder for the database, backups and logs (default: the user data folder)</source>
            <translation>thư mục chứa cơ sở dữ liệu, bản sao lưu và nhật ký hệ thống (mặc định: thư mục dữ liệu của người dùng)</translation>
        </message>
        <message>
            <source>language of messages: vi or en</source>
            <translation>ngôn ngữ thông báo: vi hoặc en</translation>
        </message>
        <message>
            <source>start the application, show the main window and exit</source>
            <translation>khởi động ứng dụng, hiện cửa sổ chính rồi thoát</translation>
        </message>
        <message>
            <source>create the demo organisation</source>
            <translation>tạo cơ quan mẫu</translation>
        </message>
        <message>
            <source>the date the demo treats as today (default: today)</source>
            <translation>ngày mà dữ liệu mẫu coi là hôm nay (mặc định: hôm nay)</translation>
        </message>
        <message>
            <source>random seed</source>
            <translation>hạt giống ngẫu nhiên</translation>
        </message>
        <message>
            <source>work-log entries</source>
            <translation>mục nhật ký công việc</translation>
        </message>
        <message>
            <source>add a work-log entry</source>
            <translation>thêm một mục nhật ký công việc</translation>
        </message>
        <message>
            <source>person identifier</source>
            <translation>mã người</translation>
        </message>
        <message>
            <source>work date</source>
            <translation>ngày làm việc</translation>
        </message>
        <message>
            <source>catalog item code</source>
            <translation>mã sản phẩm/công việc trong danh mục</translation>
        </message>
        <message>
            <source>number of products</source>
            <translation>số lượng sản phẩm</translation>
        </message>
        <message>
            <source>assignment it fulfils (default: ad hoc work)</source>
            <translation>nhiệm vụ được giao mà mục này thực hiện (mặc định: việc phát sinh)</translation>
        </message>
        <message>
            <source>output document number</source>
            <translation>số hiệu văn bản đầu ra</translation>
        </message>
        <message>
            <source>output product description</source>
            <translation>mô tả sản phẩm đầu ra</translation>
        </message>
        <message>
            <source>deadline</source>
            <translation>thời hạn hoàn thành</translation>
        </message>
        <message>
            <source>completion date</source>
            <translation>ngày hoàn thành</translation>
        </message>
        <message>
            <source>submit the entry to the leader at once</source>
            <translation>gửi ngay mục này cho lãnh đạo xác nhận</translation>
        </message>
        <message>
            <source>print the result as JSON</source>
            <translation>in kết quả dạng JSON</translation>
        </message>
        <message>
            <source>a person's score for a month</source>
            <translation>điểm của một người trong một tháng</translation>
        </message>
        <message>
            <source>month</source>
            <translation>tháng</translation>
        </message>
        <message>
            <source>year-end classification of a unit</source>
            <translation>xếp loại chất lượng cuối năm của một đơn vị</translation>
        </message>
        <message>
            <source>unit identifier</source>
            <translation>mã đơn vị</translation>
        </message>
        <message>
            <source>year</source>
            <translation>năm</translation>
        </message>
        <message>
            <source>check the database for damage</source>
            <translation>kiểm tra cơ sở dữ liệu có bị hỏng không</translation>
        </message>
        <message>
            <source>list the people and units</source>
            <translation>liệt kê người và đơn vị</translation>
        </message>
        <message>
            <source>Refused: {reason}</source>
            <translation>Bị từ chối: {reason}</translation>
        </message>
        <message>
            <source>An unexpected error occurred; the details are above.</source>
            <translation>Đã xảy ra lỗi ngoài dự kiến; chi tiết ở phía trên.</translation>
        </message>
        <message>
            <source>Demo organisation “{name}” created: {people} people, {entries} work-log entries, months {first} to {last}.</source>
            <translation>Đã tạo cơ quan mẫu “{name}”: {people} người, {entries} mục nhật ký công việc, từ tháng {first} đến tháng {last}.</translation>
        </message>
        <message>
            <source>Entry {id} saved ({status}).</source>
            <translation>Đã lưu mục {id} ({status}).</translation>
        </message>
        <message>
            <source>The database has problems:</source>
            <translation>Cơ sở dữ liệu có vấn đề:</translation>
        </message>
        <message>
            <source>The database is intact.</source>
            <translation>Cơ sở dữ liệu nguyên vẹn.</translation>
        </message>
    </context>
    <context>
        <name>EntryStatus</name>
        <message>
            <source>draft</source>
            <translation>bản nháp</translation>
        </message>
        <message>
            <source>submitted</source>
            <translation>đã gửi</translation>
        </message>
        <message>
            <source>confirmed</source>
            <translation>đã xác nhận</translation>
        </message>
        <message>
            <source>returned</source>
            <translation>bị trả lại</translation>
        </message>
    </context>
    <context>
        <name>Errors</name>
        <message>
            <source>No {kind} with the identifier “{id}”.</source>
            <translation>Không có {kind} nào có mã “{id}”.</translation>
        </message>
        <message>
            <source>“{value}” is not a period: write a month as YYYY-MM (for example 2026-03).</source>
            <translation>“{value}” không phải là kỳ đánh giá: ghi tháng theo dạng YYYY-MM (ví dụ 2026-03).</translation>
        </message>
        <message>
            <source>“{value}” is not a year: write four digits, for example 2026.</source>
            <translation>“{value}” không phải là năm: ghi bốn chữ số, ví dụ 2026.</translation>
        </message>
        <message>
            <source>“{value}” is not a date: write it as YYYY-MM-DD (for example 2026-03-15).</source>
            <translation>“{value}” không phải là ngày: ghi theo dạng YYYY-MM-DD (ví dụ 2026-03-15).</translation>
        </message>
        <message>
            <source>The work date {date} is in the future: work can only be logged once done.</source>
            <translation>Ngày làm việc {date} ở tương lai: chỉ ghi nhật ký công việc đã làm.</translation>
        </message>
        <message>
            <source>The completion date {completed} is before the work date {date}.</source>
            <translation>Ngày hoàn thành {completed} trước ngày làm việc {date}.</translation>
        </message>
        <message>
            <source>The quantity must be greater than zero (got {value}).</source>
            <translation>Số lượng phải lớn hơn 0 (đã nhập {value}).</translation>
        </message>
        <message>
            <source>The catalog item {code} is not in the list of job position “{position}”.</source>
            <translation>Sản phẩm/công việc {code} không thuộc danh mục của vị trí việc làm “{position}”.</translation>
        </message>
        <message>
            <source>This entry is {status} and can no longer be edited.</source>
            <translation>Mục này {status} nên không thể sửa nữa.</translation>
        </message>
        <message>
            <source>The period {period} is locked: ask your evaluator to reopen it.</source>
            <translation>Kỳ {period} đã khóa: đề nghị người đánh giá mở khóa.</translation>
        </message>
        <message>
            <source>General criteria points must be between 0 and 30 (got {value}).</source>
            <translation>Điểm tiêu chí chung phải từ 0 đến 30 (đã nhập {value}).</translation>
        </message>
        <message>
            <source>The data folder already holds an organisation ({path}); use another folder.</source>
            <translation>Thư mục dữ liệu đã có một cơ quan ({path}); hãy dùng thư mục khác.</translation>
        </message>
        <message>
            <source>The catalog file cannot be read: sheet “{sheet}”, row {row}: {reason}.</source>
            <translation>Không đọc được tệp danh mục: trang “{sheet}”, dòng {row}: {reason}.</translation>
        </message>
        <message>
            <source>The assignment {assignment} is for another catalog item than {code}.</source>
            <translation>Nhiệm vụ được giao {assignment} thuộc sản phẩm/công việc khác, không phải {code}.</translation>
        </message>
        <message>
            <source>A corrected entry needs a reason for the change.</source>
            <translation>Mục được sửa lại phải ghi rõ lý do sửa.</translation>
        </message>
        <message>
            <source>“{value}” is not a number.</source>
            <translation>“{value}” không phải là số.</translation>
        </message>
        <message>
            <source>{field} cannot be negative (got {value}).</source>
            <translation>{field} không được âm (đã nhập {value}).</translation>
        </message>
        <message>
            <source>The leader factors d, đ and e can only be 100 % or 50 % (got {value}).</source>
            <translation>Các tiêu chí d, đ, e của lãnh đạo chỉ nhận 100 % hoặc 50 % (đã nhập {value}).</translation>
        </message>
        <message>
            <source>Ad hoc or taken-over work only counts once it is completed.</source>
            <translation>Nhiệm vụ phát sinh hoặc tiếp nhận thêm chỉ được tính khi đã hoàn thành.</translation>
        </message>
        <message>
            <source>This record already exists.</source>
            <translation>Bản ghi này đã tồn tại.</translation>
        </message>
        <message>
            <source>The record refers to something that does not exist.</source>
            <translation>Bản ghi tham chiếu tới dữ liệu không tồn tại.</translation>
        </message>
        <message>
            <source>The database is busy in another program; try again in a moment.</source>
            <translation>Cơ sở dữ liệu đang được chương trình khác sử dụng; vui lòng thử lại sau giây lát.</translation>
        </message>
        <message>
            <source>The disk is full: free some space and try again; nothing was saved.</source>
            <translation>Ổ đĩa đã đầy: hãy giải phóng dung lượng rồi thử lại; chưa có gì được lưu.</translation>
        </message>
        <message>
            <source>The database file is damaged; restore it from a backup.</source>
            <translation>Tệp cơ sở dữ liệu bị hỏng; hãy khôi phục từ bản sao lưu.</translation>
        </message>
        <message>
            <source>The database file cannot be written (read-only).</source>
            <translation>Không ghi được vào tệp cơ sở dữ liệu (chỉ đọc).</translation>
        </message>
        <message>
            <source>The data was written by a newer version of KPI Desktop: please update.</source>
            <translation>Dữ liệu được tạo bởi phiên bản KPI Desktop mới hơn: vui lòng cập nhật ứng dụng.</translation>
        </message>
        <message>
            <source>The value was refused ({code}).</source>
            <translation>Giá trị bị từ chối ({code}).</translation>
        </message>
    </context>
    <context>
        <name>Kinds</name>
        <message>
            <source>person</source>
            <translation>người</translation>
        </message>
        <message>
            <source>unit</source>
            <translation>đơn vị</translation>
        </message>
        <message>
            <source>catalog item</source>
            <translation>sản phẩm/công việc</translation>
        </message>
        <message>
            <source>assignment</source>
            <translation>nhiệm vụ được giao</translation>
        </message>
        <message>
            <source>work-log entry</source>
            <translation>mục nhật ký công việc</translation>
        </message>
    </context>
    <context>
        <name>Level</name>
        <message>
            <source>Excellent</source>
            <translation>Hoàn thành xuất sắc nhiệm vụ</translation>
        </message>
        <message>
            <source>Good</source>
            <translation>Hoàn thành tốt nhiệm vụ</translation>
        </message>
        <message>
            <source>Satisfactory</source>
            <translation>Hoàn thành nhiệm vụ</translation>
        </message>
        <message>
            <source>Unsatisfactory</source>
            <translation>Không hoàn thành nhiệm vụ</translation>
        </message>
        <message>
            <source>Not classified</source>
            <translation>Không xếp loại</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>KPI Desktop — work log and Decree 335 evaluation</source>
            <translation>KPI Desktop — nhật ký công việc và đánh giá theo Nghị định 335</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Tệp</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Thoát</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Ngôn ngữ</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>Trợ &amp;giúp</translation>
        </message>
        <message>
            <source>&amp;About KPI Desktop</source>
            <translation>&amp;Giới thiệu KPI Desktop</translation>
        </message>
        <message>
            <source>About KPI Desktop</source>
            <translation>Giới thiệu KPI Desktop</translation>
        </message>
        <message>
            <source>KPI Desktop records daily work, computes the monthly score and the yearly classification of Decree 335/2025/NĐ-CP on this computer, and works offline.</source>
            <translation>KPI Desktop ghi nhật ký công việc hằng ngày, tính điểm hằng tháng và xếp loại chất lượng hằng năm theo Nghị định 335/2025/NĐ-CP ngay trên máy tính này, kể cả khi không có mạng.</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message>
            <source>There is no database at {path}.</source>
            <translation>Không có cơ sở dữ liệu tại {path}.</translation>
        </message>
        <message>
            <source>The database cannot be read: {error}</source>
            <translation>Không đọc được cơ sở dữ liệu: {error}</translation>
        </message>
    </context>
    <context>
        <name>Score</name>
        <message>
            <source>Insufficient data: nothing was assigned in this period.</source>
            <translation>Chưa đủ dữ liệu: kỳ này không được giao nhiệm vụ.</translation>
        </message>
        <message>
            <source>a (quantity) {value} %</source>
            <translation>a (số lượng) {value} %</translation>
        </message>
        <message>
            <source>b (quality) {value} %</source>
            <translation>b (chất lượng) {value} %</translation>
        </message>
        <message>
            <source>c (timeliness) {value} %</source>
            <translation>c (tiến độ) {value} %</translation>
        </message>
        <message>
            <source>d / đ / e {d} / {dd} / {e} %</source>
            <translation>d / đ / e {d} / {dd} / {e} %</translation>
        </message>
        <message>
            <source>Task points {value} of 70</source>
            <translation>Điểm kết quả thực hiện nhiệm vụ {value}/70</translation>
        </message>
        <message>
            <source>General criteria {value} of 30</source>
            <translation>Điểm tiêu chí chung {value}/30</translation>
        </message>
        <message>
            <source>Total {value}: {level}</source>
            <translation>Tổng điểm {value}: {level}</translation>
        </message>
        <message>
            <source>Classification {year} — {unit}</source>
            <translation>Xếp loại chất lượng năm {year} — {unit}</translation>
        </message>
        <message>
            <source>Excellent: {excellent}, allowed: {limit}, over the quota: {excess}</source>
            <translation>Hoàn thành xuất sắc: {excellent}, tối đa được phép: {limit}, vượt tỷ lệ: {excess}</translation>
        </message>
    </context>
    <context>
        <name>ScorePanel</name>
        <message>
            <source>&amp;Month:</source>
            <translation>&amp;Tháng:</translation>
        </message>
        <message>
            <source>Score of the month</source>
            <translation>Điểm của tháng</translation>
        </message>
        <message>
            <source>a. Quantity</source>
            <translation>a. Số lượng</translation>
        </message>
        <message>
            <source>b. Quality</source>
            <translation>b. Chất lượng</translation>
        </message>
        <message>
            <source>c. Timeliness</source>
            <translation>c. Tiến độ</translation>
        </message>
        <message>
            <source>Leader factors d / đ / e</source>
            <translation>Tiêu chí lãnh đạo d / đ / e</translation>
        </message>
        <message>
            <source>Task points (of 70)</source>
            <translation>Điểm kết quả thực hiện nhiệm vụ (tối đa 70)</translation>
        </message>
        <message>
            <source>General criteria (of 30)</source>
            <translation>Điểm tiêu chí chung (tối đa 30)</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Tổng điểm</translation>
        </message>
        <message>
            <source>Indicative level</source>
            <translation>Mức tương ứng</translation>
        </message>
        <message>
            <source>Choose a person on the left.</source>
            <translation>Chọn một người ở bên trái.</translation>
        </message>
        <message>
            <source>Insufficient data: nothing was assigned this month, so no score is computed.</source>
            <translation>Chưa đủ dữ liệu: tháng này không được giao nhiệm vụ nên không tính điểm.</translation>
        </message>
        <message>
            <source>General criteria: the self-assessment, not yet confirmed.</source>
            <translation>Tiêu chí chung: điểm tự chấm, chưa được xác nhận.</translation>
        </message>
        <message>
            <source>General criteria: not yet assessed (counted as 0).</source>
            <translation>Tiêu chí chung: chưa chấm (tính là 0).</translation>
        </message>
    </context>
    <context>
        <name>WhyModel</name>
        <message>
            <source>Code</source>
            <translation>Mã</translation>
        </message>
        <message>
            <source>Product / work</source>
            <translation>Sản phẩm/công việc</translation>
        </message>
        <message>
            <source>Coefficient</source>
            <translation>Hệ số quy đổi</translation>
        </message>
        <message>
            <source>Quantity</source>
            <translation>Số lượng</translation>
        </message>
        <message>
            <source>Assigned (units)</source>
            <translation>Được giao (quy đổi)</translation>
        </message>
        <message>
            <source>Completed (units)</source>
            <translation>Hoàn thành (quy đổi)</translation>
        </message>
        <message>
            <source>Quality (units)</source>
            <translation>Đạt chất lượng (quy đổi)</translation>
        </message>
        <message>
            <source>On time (units)</source>
            <translation>Đúng hạn (quy đổi)</translation>
        </message>
        <message>
            <source>Remarks</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <source>extra</source>
            <translation>phát sinh</translation>
        </message>
        <message>
            <source>not completed</source>
            <translation>chưa hoàn thành</translation>
        </message>
        <message>
            <source>failed review ×{n}</source>
            <translation>không đạt chất lượng ×{n}</translation>
        </message>
        <message>
            <source>late ×{n}</source>
            <translation>chậm tiến độ ×{n}</translation>
        </message>
        <message>
            <source>objective cause</source>
            <translation>nguyên nhân khách quan</translation>
        </message>
        <message>
            <source>Ad hoc or taken-over work: counted outside the assigned total.</source>
            <translation>Nhiệm vụ phát sinh hoặc tiếp nhận thêm: tính ngoài tổng số được giao.</translation>
        </message>
        <message>
            <source>Assigned but not completed.</source>
            <translation>Được giao nhưng chưa hoàn thành.</translation>
        </message>
        <message>
            <source>Failed quality reviews: {n} (−25 % each).</source>
            <translation>Số lần không đạt chất lượng: {n} (mỗi lần trừ 25 %).</translation>
        </message>
        <message>
            <source>Missed deadlines: {n} (−25 % each).</source>
            <translation>Số lần chậm tiến độ: {n} (mỗi lần trừ 25 %).</translation>
        </message>
        <message>
            <source>Objective cause confirmed: no deduction.</source>
            <translation>Có nguyên nhân khách quan được xác nhận: không bị trừ.</translation>
        </message>
    </context>
</TS>
