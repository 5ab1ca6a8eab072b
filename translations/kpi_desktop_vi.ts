<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>ActingDialog</name>
    <message>
        <source>Acting evaluator</source>
        <translation>Người đánh giá thay</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>Agency</name>
    <message>
        <source>leadership</source>
        <translation>lãnh đạo</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>dùng chung</translation>
    </message>
    <message>
        <source>division</source>
        <translation>phòng, ban</translation>
    </message>
    <message>
        <source>Agency administrator</source>
        <translation>Người quản trị của cơ quan</translation>
    </message>
    <message>
        <source>civil servant</source>
        <translation>công chức</translation>
    </message>
    <message>
        <source>deputy head</source>
        <translation>cấp phó</translation>
    </message>
    <message>
        <source>head</source>
        <translation>người đứng đầu</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>người quản trị</translation>
    </message>
</context>
<context>
    <name>AgencyErrors</name>
    <message>
        <source>identifier (id)</source>
        <translation>mã định danh (id)</translation>
    </message>
    <message>
        <source>full name (full_name)</source>
        <translation>họ và tên (full_name)</translation>
    </message>
    <message>
        <source>unit (unit_id)</source>
        <translation>đơn vị (unit_id)</translation>
    </message>
    <message>
        <source>Give the unit a name.</source>
        <translation>Hãy nhập tên đơn vị.</translation>
    </message>
    <message>
        <source>“{value}” cannot be a unit identifier: use lower-case letters without accents, digits, dots and dashes (at most 40).</source>
        <translation>“{value}” không dùng được làm mã đơn vị: chỉ dùng chữ thường không dấu, chữ số, dấu chấm và dấu gạch ngang (tối đa 40 ký tự).</translation>
    </message>
    <message>
        <source>There is already a unit with the identifier “{value}”.</source>
        <translation>Đã có đơn vị mang mã “{value}”.</translation>
    </message>
    <message>
        <source>The unit “{unit}” is closed: choose an open unit.</source>
        <translation>Đơn vị “{unit}” đã giải thể: hãy chọn một đơn vị đang hoạt động.</translation>
    </message>
    <message>
        <source>“{unit}” is the top of the organisation: it cannot be moved or closed.</source>
        <translation>“{unit}” là cấp cao nhất của tổ chức: không thể chuyển hoặc giải thể.</translation>
    </message>
    <message>
        <source>“{unit}” cannot be put under “{parent}”, which is part of it.</source>
        <translation>Không thể chuyển “{unit}” vào “{parent}” vì đơn vị đích là đơn vị trực thuộc của nó.</translation>
    </message>
    <message>
        <source>“{unit}” still has {people} people and {units} open sub-units: move them first.</source>
        <translation>“{unit}” còn {people} người và {units} đơn vị trực thuộc đang hoạt động: hãy chuyển họ đi trước.</translation>
    </message>
    <message>
        <source>“{value}” cannot be a person identifier: use lower-case letters without accents, digits, dots and dashes (at most 40).</source>
        <translation>“{value}” không dùng được làm mã công chức: chỉ dùng chữ thường không dấu, chữ số, dấu chấm và dấu gạch ngang (tối đa 40 ký tự).</translation>
    </message>
    <message>
        <source>There is already a person with the identifier “{value}”.</source>
        <translation>Đã có người mang mã “{value}”.</translation>
    </message>
    <message>
        <source>Give the person&apos;s full name.</source>
        <translation>Hãy nhập họ và tên.</translation>
    </message>
    <message>
        <source>{person} has no published key to revoke.</source>
        <translation>{person} không có khóa đã công bố để thu hồi.</translation>
    </message>
    <message>
        <source>{person} still evaluates {people}: give them another evaluator first (Evaluators page), then record the departure.</source>
        <translation>{person} vẫn đang đánh giá {people}: hãy giao người đánh giá khác cho những người này trước (trang Người đánh giá), sau đó mới ghi nhận việc nghỉ.</translation>
    </message>
    <message>
        <source>{person} already left the organisation ({date}).</source>
        <translation>{person} đã rời cơ quan, đơn vị ({date}).</translation>
    </message>
    <message>
        <source>The last day {date} is in the future: record the departure on that day or later.</source>
        <translation>Ngày làm việc cuối cùng {date} là ngày trong tương lai: hãy ghi nhận việc nghỉ vào ngày đó hoặc sau đó.</translation>
    </message>
    <message>
        <source>Nobody can evaluate themself: choose another evaluator.</source>
        <translation>Không ai được tự đánh giá mình: hãy chọn người đánh giá khác.</translation>
    </message>
    <message>
        <source>This would make evaluators go round in a circle ({chain}): someone would evaluate their own evaluator.</source>
        <translation>Quan hệ này tạo thành vòng đánh giá khép kín ({chain}): sẽ có người đánh giá chính người đánh giá mình.</translation>
    </message>
    <message>
        <source>This person already has another evaluator from {start}: change or end that relation first.</source>
        <translation>Người này đã có người đánh giá khác từ ngày {start}: hãy sửa hoặc kết thúc quan hệ đó trước.</translation>
    </message>
    <message>
        <source>Row {row}: the column {column} is empty.</source>
        <translation>Dòng {row}: cột {column} đang để trống.</translation>
    </message>
    <message>
        <source>Row {row}: “{value}” cannot be a person identifier (lower-case letters without accents, digits, dots and dashes).</source>
        <translation>Dòng {row}: “{value}” không dùng được làm mã công chức (chữ thường không dấu, chữ số, dấu chấm và dấu gạch ngang).</translation>
    </message>
    <message>
        <source>Row {row}: the identifier “{value}” is already used in row {first}.</source>
        <translation>Dòng {row}: mã “{value}” đã dùng ở dòng {first}.</translation>
    </message>
    <message>
        <source>Row {row}: “{value}” is not a role: write official, deputy, head or admin (or công chức, cấp phó, trưởng).</source>
        <translation>Dòng {row}: “{value}” không phải là vai trò: hãy ghi công chức, cấp phó, trưởng (hoặc official, deputy, head, admin).</translation>
    </message>
    <message>
        <source>Row {row}: “{value}” is not a date: write it as YYYY-MM-DD.</source>
        <translation>Dòng {row}: “{value}” không phải là ngày: hãy ghi theo dạng YYYY-MM-DD.</translation>
    </message>
    <message>
        <source>Row {row}: {value} cannot be their own evaluator.</source>
        <translation>Dòng {row}: {value} không thể là người đánh giá của chính mình.</translation>
    </message>
    <message>
        <source>Row {row}: the evaluator “{value}” is neither in the list nor in the organisation.</source>
        <translation>Dòng {row}: người đánh giá “{value}” không có trong danh sách cũng như trong tổ chức.</translation>
    </message>
    <message>
        <source>Row {row}: the evaluators go round in a circle ({chain}).</source>
        <translation>Dòng {row}: các quan hệ đánh giá tạo thành vòng khép kín ({chain}).</translation>
    </message>
    <message>
        <source>“{value}” cannot be a catalog version: use letters, digits, dots, plus signs and dashes (for example QD283-2026).</source>
        <translation>“{value}” không dùng được làm phiên bản danh mục: chỉ dùng chữ không dấu, chữ số, dấu chấm, dấu cộng và dấu gạch ngang (ví dụ QD283-2026).</translation>
    </message>
    <message>
        <source>There is already a catalog version “{value}”: choose another name.</source>
        <translation>Đã có phiên bản danh mục “{value}”: hãy chọn tên khác.</translation>
    </message>
    <message>
        <source>“{value}” cannot be a policy version: use letters, digits, dots, plus signs and dashes (for example xa-2027.1).</source>
        <translation>“{value}” không dùng được làm phiên bản quy tắc chấm điểm: chỉ dùng chữ không dấu, chữ số, dấu chấm, dấu cộng và dấu gạch ngang (ví dụ xa-2027.1).</translation>
    </message>
    <message>
        <source>There is already a policy version “{value}”: choose another name.</source>
        <translation>Đã có phiên bản quy tắc chấm điểm “{value}”: hãy chọn tên khác.</translation>
    </message>
    <message>
        <source>The value “{value}” of “{field}” is not allowed: check it against the other thresholds and shares (shares are written 0.25 for 25 %).</source>
        <translation>Giá trị “{value}” của “{field}” không hợp lệ: hãy đối chiếu với các ngưỡng và tỷ lệ khác (tỷ lệ ghi dạng 0,25 cho 25%).</translation>
    </message>
    <message>
        <source>A new policy cannot start in the past ({date}): scores already computed keep their policy.</source>
        <translation>Quy tắc chấm điểm mới không thể áp dụng từ ngày đã qua ({date}): các điểm đã tính giữ nguyên quy tắc cũ.</translation>
    </message>
    <message>
        <source>The file {path} cannot be opened; check that it exists and is not open in another program.</source>
        <translation>Không mở được tệp {path}; hãy kiểm tra tệp còn tồn tại và không đang mở trong chương trình khác.</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text: save the CSV as “CSV UTF-8” or use an .xlsx workbook.</source>
        <translation>Tệp không phải văn bản UTF-8: hãy lưu tệp CSV dưới dạng “CSV UTF-8” hoặc dùng tệp Excel (.xlsx).</translation>
    </message>
    <message>
        <source>The file is neither a CSV table nor an Excel workbook (.xlsx).</source>
        <translation>Tệp không phải bảng CSV cũng không phải tệp Excel (.xlsx).</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Tệp không có dữ liệu.</translation>
    </message>
    <message>
        <source>The header row lacks the columns {columns} (id, full_name and unit_id are required).</source>
        <translation>Dòng tiêu đề thiếu các cột {columns} (bắt buộc có id, full_name và unit_id).</translation>
    </message>
    <message>
        <source>The column {column} is empty.</source>
        <translation>Cột {column} còn trống.</translation>
    </message>
    <message>
        <source>“{value}” is not a role: write official, deputy, head or admin (or công chức, cấp phó, trưởng).</source>
        <translation>“{value}” không phải vai trò: hãy ghi official, deputy, head hoặc admin (hoặc công chức, cấp phó, trưởng).</translation>
    </message>
    <message>
        <source>The evaluator “{value}” is neither in the list nor in the organisation.</source>
        <translation>Người đánh giá “{value}” không có trong danh sách cũng không có trong tổ chức.</translation>
    </message>
    <message>
        <source>“{value}” is not a date: write it as YYYY-MM-DD.</source>
        <translation>“{value}” không phải ngày: hãy ghi theo dạng YYYY-MM-DD.</translation>
    </message>
    <message>
        <source>The column {column} holds a control character ({char}), which would break every export: correct the cell in the spreadsheet program and save the file again.</source>
        <translation>Cột {column} chứa ký tự điều khiển ({char}), ký tự này sẽ làm hỏng mọi tệp xuất ra: hãy sửa ô đó trong chương trình bảng tính rồi lưu lại tệp.</translation>
    </message>
    <message>
        <source>The column {column} holds more than {maximum} characters.</source>
        <translation>Cột {column} chứa quá {maximum} ký tự.</translation>
    </message>
    <message>
        <source>A cell holds more than {maximum} characters.</source>
        <translation>Một ô chứa quá {maximum} ký tự.</translation>
    </message>
    <message>
        <source>The file is larger than {maximum} MB; a staff list is much smaller: check that it is the right file.</source>
        <translation>Tệp lớn hơn {maximum} MB; danh sách công chức nhỏ hơn nhiều: hãy kiểm tra xem có đúng tệp không.</translation>
    </message>
    <message>
        <source>The file has more than {maximum} rows; a staff list is much smaller: check that it is the right file.</source>
        <translation>Tệp có hơn {maximum} dòng; danh sách công chức nhỏ hơn nhiều: hãy kiểm tra xem có đúng tệp không.</translation>
    </message>
    <message>
        <source>The list does not follow the staff list layout.</source>
        <translation>Danh sách không theo đúng mẫu danh sách công chức.</translation>
    </message>
    <message>
        <source>The staff list cannot be read (row {row}): {reason}</source>
        <translation>Không đọc được danh sách công chức (dòng {row}): {reason}</translation>
    </message>
    <message>
        <source>The staff list cannot be read: {reason}</source>
        <translation>Không đọc được danh sách công chức: {reason}</translation>
    </message>
</context>
<context>
    <name>AgencySetupPage</name>
    <message>
        <source>The two passphrases are not the same: type it again.</source>
        <translation>Hai lần nhập mật khẩu không giống nhau: hãy nhập lại.</translation>
    </message>
    <message>
        <source>This PC now holds the agency key (fingerprint {fingerprint}). Import the catalog and the staff list, then publish the organisation file. Keep the passphrase safe: without it no new organisation file can be signed.</source>
        <translation>Máy này đã giữ khóa của cơ quan (dấu vân tay, tức mã nhận dạng của khóa: {fingerprint}). Hãy nhập danh mục và danh sách công chức, sau đó phát hành tệp tổ chức. Hãy giữ kỹ mật khẩu: thiếu mật khẩu sẽ không ký được tệp tổ chức mới.</translation>
    </message>
    <message>
        <source>Set up this PC for the agency</source>
        <translation>Thiết lập máy này cho cơ quan</translation>
    </message>
    <message>
        <source>The agency&apos;s administrator builds and publishes the organisation from this PC.</source>
        <translation>Người quản trị của cơ quan xây dựng tổ chức và phát hành tệp tổ chức từ máy này.</translation>
    </message>
    <message>
        <source>The agency key is created on this PC and protected by its passphrase (at least {minimum} characters). Every PC trusts the organisation files it signs; only the administrator may know the passphrase.</source>
        <translation>Khóa của cơ quan được tạo trên máy này và được bảo vệ bằng mật khẩu (ít nhất {minimum} ký tự). Mọi máy đều tin các tệp tổ chức do khóa này ký; chỉ người quản trị được biết mật khẩu.</translation>
    </message>
    <message>
        <source>&amp;Identifier:</source>
        <translation>&amp;Mã định danh:</translation>
    </message>
    <message>
        <source>Short &amp;code:</source>
        <translation>Mã &amp;viết tắt:</translation>
    </message>
    <message>
        <source>Organisation na&amp;me:</source>
        <translation>Tên tổ &amp;chức:</translation>
    </message>
    <message>
        <source>Agency key &amp;passphrase:</source>
        <translation>Mật &amp;khẩu khóa cơ quan:</translation>
    </message>
    <message>
        <source>&amp;Repeat it:</source>
        <translation>&amp;Nhập lại:</translation>
    </message>
    <message>
        <source>for example UBND xã Nghĩa Lâm</source>
        <translation>ví dụ UBND xã Nghĩa Lâm</translation>
    </message>
</context>
<context>
    <name>Appeal</name>
    <message>
        <source>waiting for a decision</source>
        <translation>đang chờ giải quyết</translation>
    </message>
    <message>
        <source>decided</source>
        <translation>đã giải quyết</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>đã rút</translation>
    </message>
    <message>
        <source>Result upheld</source>
        <translation>Giữ nguyên kết quả</translation>
    </message>
    <message>
        <source>Result changed</source>
        <translation>Thay đổi kết quả</translation>
    </message>
    <message>
        <source>1 working day left</source>
        <translation>còn 1 ngày làm việc</translation>
    </message>
    <message>
        <source>{n} working day left</source>
        <translation>còn {n} ngày làm việc</translation>
    </message>
    <message>
        <source>{n} working days left</source>
        <translation>còn {n} ngày làm việc</translation>
    </message>
    <message>
        <source>due today</source>
        <translation>hết hạn hôm nay</translation>
    </message>
    <message>
        <source>overdue by 1 working day</source>
        <translation>quá hạn 1 ngày làm việc</translation>
    </message>
    <message>
        <source>overdue by {n} working day</source>
        <translation>quá hạn {n} ngày làm việc</translation>
    </message>
    <message>
        <source>overdue by {n} working days</source>
        <translation>quá hạn {n} ngày làm việc</translation>
    </message>
    <message>
        <source>decided 1 working day late</source>
        <translation>giải quyết chậm 1 ngày làm việc</translation>
    </message>
    <message>
        <source>decided {n} working day late</source>
        <translation>giải quyết chậm {n} ngày làm việc</translation>
    </message>
    <message>
        <source>decided {n} working days late</source>
        <translation>giải quyết chậm {n} ngày làm việc</translation>
    </message>
    <message>
        <source>decided in time</source>
        <translation>giải quyết đúng hạn</translation>
    </message>
    <message>
        <source>{points} points</source>
        <translation>{points} điểm</translation>
    </message>
    <message>
        <source>Changed after appeal on {date}: was {points} points, {level}.</source>
        <translation>Đã thay đổi sau kiến nghị ngày {date}: trước đó là {points} điểm, {level}.</translation>
    </message>
    <message>
        <source>{date}: {result} (replaced; {reason})</source>
        <translation>{date}: {result} (đã được thay thế; {reason})</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>đã được thay thế</translation>
    </message>
    <message>
        <source>current</source>
        <translation>hiện hành</translation>
    </message>
    <message>
        <source>Decision {no} of {date}: {level} ({state})</source>
        <translation>Quyết định {no} ngày {date}: {level} ({state})</translation>
    </message>
    <message>
        <source>Now: {result}</source>
        <translation>Hiện nay: {result}</translation>
    </message>
    <message>
        <source>The result has not been changed.</source>
        <translation>Kết quả chưa được thay đổi.</translation>
    </message>
</context>
<context>
    <name>AppealDetail</name>
    <message>
        <source>Appeal</source>
        <translation>Kiến nghị</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Filed</source>
        <translation>Ngày gửi</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Hạn giải quyết</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>Người giải quyết</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Kết quả giải quyết</translation>
    </message>
    <message>
        <source>Result now</source>
        <translation>Kết quả hiện nay</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
</context>
<context>
    <name>AppealsPage</name>
    <message>
        <source>Appeals</source>
        <translation>Kiến nghị</translation>
    </message>
    <message>
        <source>If you disagree with the notified result of a month or of the year, you may file an appeal. The competent person must decide it within 7 working days of receipt (Article 22, Decree 335/2025/NĐ-CP); holidays and days off do not count.</source>
        <translation>Nếu không nhất trí với kết quả đánh giá tháng hoặc xếp loại chất lượng năm đã được thông báo, đồng chí có quyền kiến nghị. Người có thẩm quyền phải giải quyết trong thời hạn 07 ngày làm việc kể từ ngày nhận được kiến nghị (Điều 22 Nghị định 335/2025/NĐ-CP); ngày nghỉ lễ, ngày nghỉ không được tính.</translation>
    </message>
    <message>
        <source>File an appeal</source>
        <translation>Gửi kiến nghị</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>What you disagree with, and why</source>
        <translation>Nội dung không nhất trí và lý do</translation>
    </message>
    <message>
        <source>File the appeal</source>
        <translation>Gửi kiến nghị</translation>
    </message>
    <message>
        <source>My appeals</source>
        <translation>Kiến nghị của tôi</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Hạn giải quyết</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Kết quả giải quyết</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Withdraw the appeal</source>
        <translation>Rút kiến nghị</translation>
    </message>
    <message>
        <source>Appeal not filed</source>
        <translation>Chưa gửi được kiến nghị</translation>
    </message>
    <message>
        <source>The appeal was filed.</source>
        <translation>Đã gửi kiến nghị.</translation>
    </message>
    <message>
        <source>Withdraw this appeal? It will not be decided.</source>
        <translation>Rút kiến nghị này? Kiến nghị sẽ không được giải quyết.</translation>
    </message>
    <message>
        <source>Appeal not withdrawn</source>
        <translation>Chưa rút được kiến nghị</translation>
    </message>
    <message>
        <source>The appeal was withdrawn.</source>
        <translation>Đã rút kiến nghị.</translation>
    </message>
</context>
<context>
    <name>Argparse</name>
    <message>
        <source>usage: </source>
        <translation>cách dùng: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>tham số theo vị trí</translation>
    </message>
    <message>
        <source>options</source>
        <translation>tùy chọn</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>hiện hướng dẫn này rồi thoát</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: lỗi: %(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>tham số %(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>còn thiếu các tham số bắt buộc: %s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>không hiểu các tham số: %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>giá trị %(type)s không hợp lệ: %(value)r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>cần một giá trị</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>cần nhiều nhất một giá trị</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>cần ít nhất một giá trị</translation>
    </message>
    <message>
        <source>expected %s argument</source>
        <translation>cần %s giá trị</translation>
    </message>
    <message>
        <source>expected %s arguments</source>
        <translation>cần %s giá trị</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>tùy chọn chưa rõ: %(option)s có thể là %(matches)s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>không dùng được cùng tham số %s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>bỏ qua giá trị %r</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>cần một trong các tham số %s</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>tùy chọn không đúng chỗ: %s</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>không có lệnh %(parser_name)r (các lệnh: %(choices)s)</translation>
    </message>
</context>
<context>
    <name>AssignmentsPage</name>
    <message>
        <source>Overdue: {n} still to be confirmed</source>
        <translation>Quá hạn: còn {n} chưa được xác nhận</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Product / work</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Coefficient</source>
        <translation>Hệ số quy đổi</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Được giao</translation>
    </message>
    <message>
        <source>Logged</source>
        <translation>Đã ghi</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <source>My assignments</source>
        <translation>Nhiệm vụ được giao</translation>
    </message>
    <message>
        <source>What the leader assigned to me</source>
        <translation>Nhiệm vụ lãnh đạo giao cho tôi</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>&amp;Tháng:</translation>
    </message>
    <message>
        <source>Log &amp;work for this assignment</source>
        <translation>&amp;Ghi nhật ký cho nhiệm vụ này</translation>
    </message>
    <message>
        <source>Opens the work log with a new entry (Enter)</source>
        <translation>Mở nhật ký công việc với một mục mới (Enter)</translation>
    </message>
    <message>
        <source>{n} assignments · {done} of {units} standard units confirmed</source>
        <translation>{n} nhiệm vụ · đã xác nhận {done} trên {units} đơn vị sản phẩm/công việc chuẩn</translation>
    </message>
    <message>
        <source>Nothing was assigned to you this month: the month&apos;s score will show “insufficient data”.</source>
        <translation>Tháng này chưa có nhiệm vụ được giao: điểm của tháng sẽ là “chưa đủ dữ liệu”.</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit log</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Why / details</source>
        <translation>Lý do / chi tiết</translation>
    </message>
</context>
<context>
    <name>AuditLog</name>
    <message>
        <source>created a work-log entry</source>
        <translation>tạo mục nhật ký công việc</translation>
    </message>
    <message>
        <source>submitted a work-log entry</source>
        <translation>gửi mục nhật ký công việc</translation>
    </message>
    <message>
        <source>confirmed an entry</source>
        <translation>xác nhận một mục</translation>
    </message>
    <message>
        <source>returned an entry</source>
        <translation>trả lại một mục</translation>
    </message>
    <message>
        <source>recorded a failed quality review</source>
        <translation>ghi sai sót lớn về nội dung</translation>
    </message>
    <message>
        <source>recorded a delay</source>
        <translation>ghi chậm tiến độ</translation>
    </message>
    <message>
        <source>recorded an objective cause</source>
        <translation>ghi nguyên nhân khách quan</translation>
    </message>
    <message>
        <source>recorded an objective cause of the quality errors</source>
        <translation>xác nhận nguyên nhân khách quan của sai sót lớn về nội dung</translation>
    </message>
    <message>
        <source>recorded an objective cause of the delays</source>
        <translation>xác nhận nguyên nhân khách quan của việc chậm tiến độ</translation>
    </message>
    <message>
        <source>undid a decision before it was sent</source>
        <translation>đã hoàn tác một quyết định trước khi gửi đi</translation>
    </message>
    <message>
        <source>reviewed after the time limit</source>
        <translation>xác nhận quá thời hạn</translation>
    </message>
    <message>
        <source>assigned a task</source>
        <translation>giao nhiệm vụ</translation>
    </message>
    <message>
        <source>cancelled an assignment</source>
        <translation>hủy nhiệm vụ đã giao</translation>
    </message>
    <message>
        <source>copied last month&apos;s assignments</source>
        <translation>sao chép nhiệm vụ tháng trước</translation>
    </message>
    <message>
        <source>submitted a self-assessment</source>
        <translation>gửi phiếu tự đánh giá</translation>
    </message>
    <message>
        <source>confirmed a monthly evaluation</source>
        <translation>xác nhận phiếu đánh giá tháng</translation>
    </message>
    <message>
        <source>locked a month</source>
        <translation>khóa kỳ tháng</translation>
    </message>
    <message>
        <source>unlocked a month</source>
        <translation>mở khóa kỳ tháng</translation>
    </message>
    <message>
        <source>changed an evaluation after an appeal</source>
        <translation>thay đổi sau kiến nghị</translation>
    </message>
    <message>
        <source>appointed an acting evaluator</source>
        <translation>ủy quyền người đánh giá thay</translation>
    </message>
    <message>
        <source>recorded a discipline decision</source>
        <translation>ghi quyết định kỷ luật</translation>
    </message>
    <message>
        <source>recorded a Form 02 self-rating</source>
        <translation>ghi tự xếp loại (Mẫu số 02)</translation>
    </message>
    <message>
        <source>recorded a classification decision</source>
        <translation>ghi quyết định xếp loại</translation>
    </message>
    <message>
        <source>replaced a classification decision</source>
        <translation>thay thế quyết định xếp loại</translation>
    </message>
    <message>
        <source>transferred a person to another unit</source>
        <translation>điều động một người sang đơn vị khác</translation>
    </message>
    <message>
        <source>sent a person&apos;s monthly results to another agency</source>
        <translation>gửi kết quả hằng tháng của một người cho cơ quan khác</translation>
    </message>
    <message>
        <source>received a person&apos;s monthly results from another agency</source>
        <translation>nhận kết quả hằng tháng của một người từ cơ quan khác</translation>
    </message>
    <message>
        <source>created the organisation</source>
        <translation>tạo tổ chức</translation>
    </message>
    <message>
        <source>imported a catalog workbook</source>
        <translation>nhập tệp danh mục</translation>
    </message>
    <message>
        <source>imported a staff list</source>
        <translation>nhập danh sách công chức</translation>
    </message>
    <message>
        <source>imported a scoring policy</source>
        <translation>nhập quy tắc chấm điểm</translation>
    </message>
    <message>
        <source>made a new scoring policy version</source>
        <translation>phiên bản quy tắc chấm điểm mới</translation>
    </message>
    <message>
        <source>accepted a proposal into the catalog</source>
        <translation>chấp nhận đề xuất vào danh mục</translation>
    </message>
    <message>
        <source>rejected a proposal</source>
        <translation>không chấp nhận đề xuất</translation>
    </message>
    <message>
        <source>enrolled a key</source>
        <translation>công bố khóa</translation>
    </message>
    <message>
        <source>revoked a key</source>
        <translation>thu hồi khóa</translation>
    </message>
    <message>
        <source>replaced the agency key</source>
        <translation>thay khóa của cơ quan</translation>
    </message>
    <message>
        <source>added a unit</source>
        <translation>thêm đơn vị</translation>
    </message>
    <message>
        <source>renamed a unit</source>
        <translation>đổi tên đơn vị</translation>
    </message>
    <message>
        <source>moved a unit</source>
        <translation>chuyển đơn vị</translation>
    </message>
    <message>
        <source>closed a unit</source>
        <translation>giải thể đơn vị</translation>
    </message>
    <message>
        <source>merged units</source>
        <translation>sáp nhập đơn vị</translation>
    </message>
    <message>
        <source>added a person</source>
        <translation>thêm công chức</translation>
    </message>
    <message>
        <source>changed a person&apos;s details</source>
        <translation>sửa thông tin công chức</translation>
    </message>
    <message>
        <source>recorded that a person left the organisation</source>
        <translation>cán bộ rời cơ quan, đơn vị</translation>
    </message>
    <message>
        <source>added an evaluator relation</source>
        <translation>thêm quan hệ đánh giá</translation>
    </message>
    <message>
        <source>changed an evaluator relation</source>
        <translation>sửa quan hệ đánh giá</translation>
    </message>
    <message>
        <source>ended an evaluator relation</source>
        <translation>kết thúc quan hệ đánh giá</translation>
    </message>
    <message>
        <source>entered an organisation indicator</source>
        <translation>nhập chỉ số của cơ quan, tổ chức</translation>
    </message>
    <message>
        <source>imported organisation indicators</source>
        <translation>nhập tệp chỉ số của cơ quan, tổ chức</translation>
    </message>
    <message>
        <source>decided the organisation&apos;s result level</source>
        <translation>quyết định mức xếp loại cơ quan, đơn vị</translation>
    </message>
    <message>
        <source>declared a calendar day</source>
        <translation>khai báo ngày nghỉ hoặc ngày làm bù</translation>
    </message>
    <message>
        <source>removed a calendar day</source>
        <translation>bỏ khai báo ngày nghỉ hoặc ngày làm bù</translation>
    </message>
</context>
<context>
    <name>BundleKind</name>
    <message>
        <source>organisation file</source>
        <translation>tệp tổ chức</translation>
    </message>
    <message>
        <source>assignments</source>
        <translation>giao nhiệm vụ</translation>
    </message>
    <message>
        <source>work log</source>
        <translation>nhật ký công việc</translation>
    </message>
    <message>
        <source>leader&apos;s review</source>
        <translation>xác nhận của lãnh đạo</translation>
    </message>
    <message>
        <source>receipt</source>
        <translation>biên nhận</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>chuyển công tác</translation>
    </message>
</context>
<context>
    <name>Calendar</name>
    <message>
        <source>public holiday</source>
        <translation>ngày nghỉ lễ, tết</translation>
    </message>
    <message>
        <source>day off</source>
        <translation>ngày nghỉ</translation>
    </message>
    <message>
        <source>make-up working day</source>
        <translation>ngày làm bù</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Calendar</source>
        <translation>Lịch làm việc</translation>
    </message>
    <message>
        <source>Working days are Monday to Friday, except public holidays (Tết included) and the days off declared by the agency, plus make-up working days. Deadlines, the review rule, the early-completion bonus and the appeal deadline count these days.</source>
        <translation>Ngày làm việc là thứ Hai đến thứ Sáu, trừ các ngày nghỉ lễ, tết và ngày nghỉ do cơ quan thông báo, cộng các ngày làm bù. Thời hạn hoàn thành, quy định xác nhận trong 5 ngày, điểm thưởng hoàn thành trước hạn và thời hạn giải quyết kiến nghị đều tính theo các ngày này.</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Declare a day for the agency</source>
        <translation>Thông báo ngày nghỉ / ngày làm bù của cơ quan</translation>
    </message>
    <message>
        <source>for example: day off for the election</source>
        <translation>ví dụ: nghỉ bầu cử</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>Ngày nghỉ</translation>
    </message>
    <message>
        <source>Make-up working day</source>
        <translation>Ngày làm bù</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Remove the selected day</source>
        <translation>Xóa ngày đã chọn</translation>
    </message>
    <message>
        <source>declared by the agency</source>
        <translation>cơ quan thông báo</translation>
    </message>
    <message>
        <source>public calendar</source>
        <translation>lịch nghỉ lễ, tết của Nhà nước</translation>
    </message>
    <message>
        <source>government make-up day</source>
        <translation>làm bù theo thông báo của Chính phủ</translation>
    </message>
    <message>
        <source>{n} working days in {year}</source>
        <translation>{n} ngày làm việc trong năm {year}</translation>
    </message>
    <message>
        <source>Day not recorded</source>
        <translation>Chưa ghi được ngày</translation>
    </message>
    <message>
        <source>The calendar was updated.</source>
        <translation>Đã cập nhật lịch làm việc.</translation>
    </message>
    <message>
        <source>Day not removed</source>
        <translation>Chưa xóa được ngày</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Nhiệm vụ</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <source>Coefficient</source>
        <translation>Hệ số quy đổi</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Phần</translation>
    </message>
    <message>
        <source>KPI kind</source>
        <translation>Loại KPI</translation>
    </message>
</context>
<context>
    <name>CatalogErrors</name>
    <message>
        <source>The file is not an Excel workbook (.xlsx); save it as .xlsx and try again.</source>
        <translation>Đây không phải tệp Excel (.xlsx); hãy lưu lại dưới dạng .xlsx rồi thử lại.</translation>
    </message>
    <message>
        <source>There is a second sheet of general criteria; keep only one.</source>
        <translation>Có trang tiêu chí chung thứ hai; chỉ giữ lại một trang.</translation>
    </message>
    <message>
        <source>No sheet lists products or tasks (a header with “STT” and “Mã CV”).</source>
        <translation>Không có trang nào liệt kê sản phẩm, công việc (dòng tiêu đề có “STT” và “Mã CV”).</translation>
    </message>
    <message>
        <source>No sheet lists the general criteria (a header with “TT” and “Tiêu chí chấm điểm”).</source>
        <translation>Không có trang nào liệt kê tiêu chí chung (dòng tiêu đề có “TT” và “Tiêu chí chấm điểm”).</translation>
    </message>
    <message>
        <source>This header row is neither a product/task table nor a general criteria table.</source>
        <translation>Dòng tiêu đề này không phải của bảng sản phẩm, công việc cũng không phải của bảng tiêu chí chung.</translation>
    </message>
    <message>
        <source>The sheet has no header row starting with “STT” or “TT” in its first 20 rows.</source>
        <translation>Trong 20 dòng đầu của trang không có dòng tiêu đề bắt đầu bằng “STT” hoặc “TT”.</translation>
    </message>
    <message>
        <source>The column “{column}” appears twice in the header.</source>
        <translation>Cột “{column}” xuất hiện hai lần trong dòng tiêu đề.</translation>
    </message>
    <message>
        <source>The header lacks the columns {columns}.</source>
        <translation>Dòng tiêu đề thiếu các cột {columns}.</translation>
    </message>
    <message>
        <source>The row has points but no code in the column “Mã CV”.</source>
        <translation>Dòng có điểm nhưng không có mã ở cột “Mã CV”.</translation>
    </message>
    <message>
        <source>“{code}” is not a task code: write it like 1.2 or TP.3.1.</source>
        <translation>“{code}” không phải mã công việc: hãy ghi theo dạng 1.2 hoặc TP.3.1.</translation>
    </message>
    <message>
        <source>The item {code} has no task name (column “Nhiệm vụ”).</source>
        <translation>Mục {code} chưa có tên nhiệm vụ (cột “Nhiệm vụ”).</translation>
    </message>
    <message>
        <source>The points {points} of item {code} are outside its point range {range}.</source>
        <translation>Điểm chấm {points} của mục {code} nằm ngoài khung điểm {range}.</translation>
    </message>
    <message>
        <source>The points {points} of item {code} must be greater than zero.</source>
        <translation>Điểm chấm {points} của mục {code} phải lớn hơn 0.</translation>
    </message>
    <message>
        <source>The item {code} has no specialised division.</source>
        <translation>Mục {code} chưa ghi phòng, ban chuyên môn.</translation>
    </message>
    <message>
        <source>The conversion formula of item {code} divides by {value}, the other items by {expected}: use one standard work unit.</source>
        <translation>Công thức quy đổi của mục {code} chia cho {value}, các mục khác chia cho {expected}: hãy dùng một đơn vị sản phẩm/công việc chuẩn thống nhất.</translation>
    </message>
    <message>
        <source>The sheet&apos;s title does not say whether it holds leadership (“lãnh đạo”) or shared (“dùng chung”) items.</source>
        <translation>Tên trang không cho biết trang gồm các mục của lãnh đạo (“lãnh đạo”) hay các mục dùng chung (“dùng chung”).</translation>
    </message>
    <message>
        <source>The code {code} is used before, in sheet “{sheet}”, row {row}.</source>
        <translation>Mã {code} đã được dùng trước đó, ở trang “{sheet}”, dòng {row}.</translation>
    </message>
    <message>
        <source>Item {code} gives group {group} the point range {range}, other items {expected}.</source>
        <translation>Mục {code} ghi khung điểm {range} cho nhóm {group}, các mục khác ghi {expected}.</translation>
    </message>
    <message>
        <source>“{value}” is not a complexity group of item {code}: write N1 to N5.</source>
        <translation>“{value}” không phải nhóm mức độ phức tạp của mục {code}: hãy ghi từ N1 đến N5.</translation>
    </message>
    <message>
        <source>“{value}” is not a point range of item {code}: write it like 5-10.</source>
        <translation>“{value}” không phải khung điểm của mục {code}: hãy ghi theo dạng 5-10.</translation>
    </message>
    <message>
        <source>The item {code} has no assigned points (column “Điểm chấm”).</source>
        <translation>Mục {code} chưa có điểm chấm (cột “Điểm chấm”).</translation>
    </message>
    <message>
        <source>The assigned points “{value}” of item {code} are not a number.</source>
        <translation>Điểm chấm “{value}” của mục {code} không phải là số.</translation>
    </message>
    <message>
        <source>The row is neither a group (I, II, …) nor a numbered criterion.</source>
        <translation>Dòng này không phải nhóm (I, II, …) cũng không phải tiêu chí có số thứ tự.</translation>
    </message>
    <message>
        <source>The criterion has no text (column “Tiêu chí chấm điểm”).</source>
        <translation>Tiêu chí chưa có nội dung (cột “Tiêu chí chấm điểm”).</translation>
    </message>
    <message>
        <source>The criteria group {group} appears twice.</source>
        <translation>Nhóm tiêu chí {group} xuất hiện hai lần.</translation>
    </message>
    <message>
        <source>“{value}” is not a criterion number: write I, II, … for a group and 1, 2, … for a criterion.</source>
        <translation>“{value}” không phải số thứ tự tiêu chí: ghi I, II, … cho nhóm và 1, 2, … cho tiêu chí.</translation>
    </message>
    <message>
        <source>The criterion comes before any group (I, II, …).</source>
        <translation>Tiêu chí đứng trước mọi nhóm (I, II, …).</translation>
    </message>
    <message>
        <source>Criterion {number} of group {group} appears twice.</source>
        <translation>Tiêu chí {number} của nhóm {group} xuất hiện hai lần.</translation>
    </message>
    <message>
        <source>The sheet lists no criteria.</source>
        <translation>Trang không liệt kê tiêu chí nào.</translation>
    </message>
    <message>
        <source>The criteria of group {group} add up to {actual} points, not {expected}.</source>
        <translation>Các tiêu chí của nhóm {group} cộng lại được {actual} điểm, không phải {expected} điểm.</translation>
    </message>
    <message>
        <source>The total row says {actual} points, the groups add up to {expected}.</source>
        <translation>Dòng tổng cộng ghi {actual} điểm, còn các nhóm cộng lại được {expected} điểm.</translation>
    </message>
    <message>
        <source>“{value}” is not a number of points.</source>
        <translation>“{value}” không phải là số điểm.</translation>
    </message>
    <message>
        <source>The file {path} cannot be opened; check that it exists and is not open in another program.</source>
        <translation>Không mở được tệp {path}; hãy kiểm tra tệp có tồn tại và không đang mở trong chương trình khác.</translation>
    </message>
    <message>
        <source>The cell in column {column} holds a control character ({char}): correct it in the spreadsheet program and save the file again.</source>
        <translation>Ô ở cột {column} chứa ký tự điều khiển ({char}): hãy sửa ô đó trong chương trình bảng tính rồi lưu lại tệp.</translation>
    </message>
    <message>
        <source>The sheet&apos;s name holds a control character ({char}): rename the sheet and save the file again.</source>
        <translation>Tên trang tính chứa ký tự điều khiển ({char}): hãy đổi tên trang tính rồi lưu lại tệp.</translation>
    </message>
    <message>
        <source>The cell in column {column} holds more than {maximum} characters.</source>
        <translation>Ô ở cột {column} chứa quá {maximum} ký tự.</translation>
    </message>
    <message>
        <source>The workbook unpacks to more than {maximum} MB; a catalog is much smaller: check that it is the right file.</source>
        <translation>Tệp sau khi giải nén lớn hơn {maximum} MB; tệp danh mục nhỏ hơn nhiều: hãy kiểm tra xem có đúng tệp không.</translation>
    </message>
    <message>
        <source>The sheet has more than {maximum} rows; a catalog is much smaller: check that it is the right file.</source>
        <translation>Trang tính có hơn {maximum} dòng; tệp danh mục nhỏ hơn nhiều: hãy kiểm tra xem có đúng tệp không.</translation>
    </message>
    <message>
        <source>The content does not follow the catalog template.</source>
        <translation>Nội dung không theo đúng mẫu danh mục.</translation>
    </message>
    <message>
        <source>The catalog file cannot be read (sheet “{sheet}”, row {row}): {reason}</source>
        <translation>Không đọc được tệp danh mục (trang “{sheet}”, dòng {row}): {reason}</translation>
    </message>
    <message>
        <source>The catalog file cannot be read (sheet “{sheet}”): {reason}</source>
        <translation>Không đọc được tệp danh mục (trang “{sheet}”): {reason}</translation>
    </message>
    <message>
        <source>The catalog file cannot be read: {reason}</source>
        <translation>Không đọc được tệp danh mục: {reason}</translation>
    </message>
</context>
<context>
    <name>CatalogImportDialog</name>
    <message>
        <source>Import a catalog workbook</source>
        <translation>Nhập tệp danh mục</translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation>&amp;Phiên bản:</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>&amp;Tên gọi:</translation>
    </message>
    <message>
        <source>for example QD283-2026</source>
        <translation>ví dụ QD283-2026</translation>
    </message>
    <message>
        <source>for example QĐ 283/QĐ-UBND</source>
        <translation>ví dụ QĐ 283/QĐ-UBND</translation>
    </message>
    <message>
        <source>&amp;Import as the active catalog</source>
        <translation>&amp;Nhập làm danh mục đang áp dụng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>The workbook cannot be imported; nothing was changed.</source>
        <translation>Không nhập được tệp danh mục; dữ liệu không thay đổi.</translation>
    </message>
    <message>
        <source>{file}: {count} items ({groups}); standard work unit = {points} points. Nothing is written until you press Import.</source>
        <translation>{file}: {count} sản phẩm/công việc ({groups}); đơn vị sản phẩm/công việc chuẩn = {points} điểm. Chưa có gì được ghi cho đến khi bấm Nhập.</translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <source>Catalog</source>
        <translation>Danh mục</translation>
    </message>
    <message>
        <source>Product/work catalog</source>
        <translation>Danh mục sản phẩm/công việc</translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation>Phiên &amp;bản:</translation>
    </message>
    <message>
        <source>G&amp;roup:</source>
        <translation>N&amp;hóm:</translation>
    </message>
    <message>
        <source>all</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <source>Search code or name…</source>
        <translation>Tìm theo mã hoặc tên…</translation>
    </message>
    <message>
        <source>&amp;Import workbook…</source>
        <translation>Nhập &amp;tệp danh mục…</translation>
    </message>
    <message>
        <source>active</source>
        <translation>đang áp dụng</translation>
    </message>
    <message>
        <source>earlier</source>
        <translation>bản trước</translation>
    </message>
    <message>
        <source>No catalog yet: import the agency&apos;s catalog workbook.</source>
        <translation>Chưa có danh mục: hãy nhập tệp danh mục của cơ quan.</translation>
    </message>
    <message>
        <source>Version {version}: {count} items; standard work unit = {points} points; published {date}.</source>
        <translation>Phiên bản {version}: {count} sản phẩm/công việc; đơn vị sản phẩm/công việc chuẩn = {points} điểm; ban hành ngày {date}.</translation>
    </message>
    <message>
        <source>Catalog workbook</source>
        <translation>Tệp danh mục</translation>
    </message>
    <message>
        <source>Workbooks (*.xlsx);;All files (*)</source>
        <translation>Tệp Excel (*.xlsx);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Catalog version {version}: {count} items imported; publish the organisation to send it out.</source>
        <translation>Phiên bản danh mục {version}: đã nhập {count} sản phẩm/công việc; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
</context>
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
        <translation>giá trị khởi tạo ngẫu nhiên (seed)</translation>
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
        <translation>mã công chức</translation>
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
        <source>the quantity is right although it is more than the item&apos;s time norm fits in a day</source>
        <translation>số lượng là đúng dù vượt quá khối lượng mà định mức thời gian của sản phẩm/công việc cho phép trong một ngày</translation>
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
        <source>back up or restore the database</source>
        <translation>sao lưu hoặc khôi phục cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>list the backups</source>
        <translation>liệt kê các bản sao lưu</translation>
    </message>
    <message>
        <source>replace the database with this backup</source>
        <translation>thay cơ sở dữ liệu bằng bản sao lưu này</translation>
    </message>
    <message>
        <source>list the people and units</source>
        <translation>liệt kê người và đơn vị</translation>
    </message>
    <message>
        <source>print a form or a summary to PDF or Word</source>
        <translation>in phiếu hoặc bảng tổng hợp ra tệp PDF hoặc Word</translation>
    </message>
    <message>
        <source>language of the form: vi or en (default: the message language)</source>
        <translation>ngôn ngữ của phiếu: vi hoặc en (mặc định: ngôn ngữ thông báo)</translation>
    </message>
    <message>
        <source>the file to write: a PDF, or an editable Word document when the name ends in .docx</source>
        <translation>tệp cần ghi: tệp PDF, hoặc tệp Word sửa được khi tên tệp có đuôi .docx</translation>
    </message>
    <message>
        <source>month, quarter, half year or year</source>
        <translation>tháng, quý, 6 tháng hoặc năm</translation>
    </message>
    <message>
        <source>check a printed form&apos;s verification code or an electronic dossier</source>
        <translation>kiểm tra mã kiểm tra của phiếu đã in hoặc hồ sơ đánh giá điện tử</translation>
    </message>
    <message>
        <source>the code printed on the form, or a dossier archive (.zip)</source>
        <translation>mã in trên phiếu, hoặc tệp hồ sơ điện tử (.zip)</translation>
    </message>
    <message>
        <source>the electronic evaluation dossier of a person&apos;s year, or of everyone in a unit (Article 24)</source>
        <translation>hồ sơ đánh giá điện tử cả năm của một công chức, hoặc của mọi công chức trong đơn vị (Điều 24)</translation>
    </message>
    <message>
        <source>unit identifier: one archive per person of the unit and its sub-units</source>
        <translation>mã đơn vị: mỗi công chức của đơn vị và các đơn vị trực thuộc một tệp hồ sơ</translation>
    </message>
    <message>
        <source>the archive to write (--person) or the folder for the archives (--unit)</source>
        <translation>tệp hồ sơ cần ghi (--person) hoặc thư mục chứa các tệp hồ sơ (--unit)</translation>
    </message>
    <message>
        <source>language of the forms: vi or en (default: the message language)</source>
        <translation>ngôn ngữ của các phiếu: vi hoặc en (mặc định: ngôn ngữ thông báo)</translation>
    </message>
    <message>
        <source>Warning: {reason}</source>
        <translation>Cảnh báo: {reason}</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Vị trí việc làm</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>đã kiểm tra</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>bị hỏng</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>chưa kiểm tra</translation>
    </message>
    <message>
        <source>There are no backups yet.</source>
        <translation>Chưa có bản sao lưu nào.</translation>
    </message>
    <message>
        <source>Warning: restoring replaces the data on this computer with the backup of {made}; what these people recorded since is replaced: {names}.</source>
        <translation>Cảnh báo: khôi phục sẽ thay dữ liệu trên máy này bằng bản sao lưu lúc {made}; những gì các đồng chí sau đây ghi nhận từ thời điểm đó sẽ bị thay thế: {names}.</translation>
    </message>
    <message>
        <source>Restore anyway? Type “yes” to continue: </source>
        <translation>Vẫn khôi phục? Gõ “có” để tiếp tục: </translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>Warning: restoring replaces the data on this computer with the backup of {made}; nothing was recorded here since.</source>
        <translation>Cảnh báo: khôi phục sẽ thay dữ liệu trên máy này bằng bản sao lưu lúc {made}; từ thời điểm đó chưa có gì được ghi nhận trên máy này.</translation>
    </message>
    <message>
        <source>There is no database at {path}.</source>
        <translation>Không có cơ sở dữ liệu tại {path}.</translation>
    </message>
    <message>
        <source>The newest backup that passed its check: {path}</source>
        <translation>Bản sao lưu mới nhất đã qua kiểm tra: {path}</translation>
    </message>
    <message>
        <source>No backup passed its check.</source>
        <translation>Không có bản sao lưu nào qua được kiểm tra.</translation>
    </message>
    <message>
        <source>The signatures and results were not checked: the database is from an earlier version; start KPI Desktop once to upgrade it.</source>
        <translation>Chưa kiểm tra chữ ký và kết quả: cơ sở dữ liệu thuộc phiên bản cũ; hãy mở KPI Desktop một lần để nâng cấp.</translation>
    </message>
    <message>
        <source>Written {path} ({pages}), verification code {code}.</source>
        <translation>Đã ghi {path} ({pages}), mã kiểm tra {code}.</translation>
    </message>
    <message>
        <source>Written {path}, verification code {code}.</source>
        <translation>Đã ghi {path}, mã kiểm tra {code}.</translation>
    </message>
    <message>
        <source>Dossier written: {path} ({files} files, {records} records).</source>
        <translation>Đã ghi hồ sơ: {path} ({files} tệp, {records} bản ghi).</translation>
    </message>
    <message>
        <source>{done}/{total} people</source>
        <translation>{done}/{total} người</translation>
    </message>
    <message>
        <source>{n} dossiers written to {folder}.</source>
        <translation>Đã ghi {n} hồ sơ vào {folder}.</translation>
    </message>
    <message>
        <source>Form 01 of a month or quarter</source>
        <translation>Mẫu số 01 của một tháng hoặc một quý</translation>
    </message>
    <message>
        <source>assignment it fulfils (default: the open assignment of the same item, if there is one)</source>
        <translation>nhiệm vụ được giao mà mục này thực hiện (mặc định: nhiệm vụ được giao cùng sản phẩm/công việc còn đang mở, nếu có)</translation>
    </message>
    <message>
        <source>ad hoc work outside the plan, even when an assignment of the item is open</source>
        <translation>nhiệm vụ phát sinh ngoài kế hoạch, kể cả khi có nhiệm vụ được giao cùng sản phẩm/công việc</translation>
    </message>
    <message>
        <source>work taken over from a colleague, outside the plan</source>
        <translation>nhiệm vụ tiếp nhận thêm từ công chức khác, ngoài kế hoạch</translation>
    </message>
    <message>
        <source>a person&apos;s score for a month, quarter or half year</source>
        <translation>điểm của một người trong một tháng, quý hoặc 6 tháng</translation>
    </message>
    <message>
        <source>month, quarter or half year (2026-H1)</source>
        <translation>tháng, quý hoặc 6 tháng (2026-H1)</translation>
    </message>
    <message>
        <source>restore without asking (the warning is still printed)</source>
        <translation>khôi phục không cần hỏi lại (cảnh báo vẫn được in ra)</translation>
    </message>
    <message>
        <source>check the database, its signatures, results and attachments (exit code 4 when something is wrong)</source>
        <translation>kiểm tra cơ sở dữ liệu, chữ ký, kết quả và tệp đính kèm (mã thoát 4 khi phát hiện sai hỏng)</translation>
    </message>
    <message>
        <source>month or quarter</source>
        <translation>tháng hoặc quý</translation>
    </message>
    <message>
        <source>Form 02 of a year</source>
        <translation>Mẫu số 02 của một năm</translation>
    </message>
    <message>
        <source>summary of a unit</source>
        <translation>bảng tổng hợp của một đơn vị</translation>
    </message>
    <message>
        <source>month, quarter or year</source>
        <translation>tháng, quý hoặc năm</translation>
    </message>
    <message>
        <source>export scores, work logs and results of a period</source>
        <translation>xuất điểm, nhật ký công việc và kết quả của một kỳ</translation>
    </message>
    <message>
        <source>folder to write the files to</source>
        <translation>thư mục để ghi các tệp</translation>
    </message>
    <message>
        <source>csv, xlsx or json (repeatable; default: all)</source>
        <translation>csv, xlsx hoặc json (có thể lặp lại; mặc định: tất cả)</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>Không thực hiện được: {reason}</translation>
    </message>
    <message>
        <source>An unexpected error occurred; the details are above.</source>
        <translation>Đã xảy ra lỗi ngoài dự kiến; chi tiết ở phía trên.</translation>
    </message>
    <message>
        <source>Demo organisation “{name}” created: {people} people, {entries} work-log entries, months {first} to {last}.</source>
        <translation>Đã tạo cơ quan mẫu “{name}”: {people} người, {entries} mục nhật ký công việc, từ {first} đến {last}.</translation>
    </message>
    <message>
        <source>Entry {id} saved ({status}).</source>
        <translation>Đã lưu mục {id} ({status}).</translation>
    </message>
    <message>
        <source>Database restored; the previous file was kept as {path}.</source>
        <translation>Đã khôi phục cơ sở dữ liệu; tệp trước đó được giữ lại tại {path}.</translation>
    </message>
    <message>
        <source>Backup written: {path}</source>
        <translation>Đã sao lưu: {path}</translation>
    </message>
    <message>
        <source>The database has problems:</source>
        <translation>Cơ sở dữ liệu có vấn đề:</translation>
    </message>
    <message>
        <source>The database is intact.</source>
        <translation>Cơ sở dữ liệu nguyên vẹn.</translation>
    </message>
    <message>
        <source>Written {path}</source>
        <translation>Đã ghi {path}</translation>
    </message>
    <message>
        <source>the leader&apos;s review</source>
        <translation>xác nhận của lãnh đạo</translation>
    </message>
    <message>
        <source>the reviewer&apos;s person identifier</source>
        <translation>mã công chức của người xác nhận</translation>
    </message>
    <message>
        <source>entries waiting for review</source>
        <translation>các mục chờ xác nhận</translation>
    </message>
    <message>
        <source>confirm entries</source>
        <translation>xác nhận các mục</translation>
    </message>
    <message>
        <source>entry identifiers</source>
        <translation>mã các mục nhật ký</translation>
    </message>
    <message>
        <source>return an entry for revision</source>
        <translation>trả lại một mục để chỉnh sửa</translation>
    </message>
    <message>
        <source>why it is returned</source>
        <translation>lý do trả lại</translation>
    </message>
    <message>
        <source>entry identifier</source>
        <translation>mã mục nhật ký</translation>
    </message>
    <message>
        <source>confirm an objective cause of an entry&apos;s quality errors and/or delays (Article 14.2(b), 14.2(c))</source>
        <translation>xác nhận nguyên nhân khách quan của sai sót lớn và/hoặc việc chậm tiến độ của một mục (điểm b, điểm c khoản 2 Điều 14)</translation>
    </message>
    <message>
        <source>the cause exempts the quality errors</source>
        <translation>nguyên nhân miễn trừ điểm về sai sót lớn</translation>
    </message>
    <message>
        <source>the cause exempts the delays</source>
        <translation>nguyên nhân miễn trừ điểm về việc chậm</translation>
    </message>
    <message>
        <source>the objective cause confirmed</source>
        <translation>nguyên nhân khách quan được xác nhận</translation>
    </message>
    <message>
        <source>accept a person&apos;s self-assessment and lock the month</source>
        <translation>chấp nhận phiếu tự đánh giá và khóa kỳ tháng</translation>
    </message>
    <message>
        <source>reopen a locked month</source>
        <translation>mở khóa một kỳ đã khóa</translation>
    </message>
    <message>
        <source>why the month is reopened</source>
        <translation>lý do mở khóa kỳ</translation>
    </message>
    <message>
        <source>{n} entries waiting; {late} over the limit of {limit} working days.</source>
        <translation>{n} mục chờ xác nhận; {late} mục quá {limit} ngày làm việc.</translation>
    </message>
    <message>
        <source>{n} entries confirmed.</source>
        <translation>Đã xác nhận {n} mục.</translation>
    </message>
    <message>
        <source>Entry {id} returned.</source>
        <translation>Đã trả lại mục {id}.</translation>
    </message>
    <message>
        <source>quality errors</source>
        <translation>sai sót lớn</translation>
    </message>
    <message>
        <source>delays</source>
        <translation>chậm tiến độ</translation>
    </message>
    <message>
        <source>Objective cause recorded for entry {id}: {what} not deducted.</source>
        <translation>Đã ghi nguyên nhân khách quan cho mục {id}: không trừ điểm {what}.</translation>
    </message>
    <message>
        <source>Month {period} of {person} confirmed and locked: total {total}.</source>
        <translation>Đã xác nhận và khóa kỳ {period} của {person}: tổng điểm {total}.</translation>
    </message>
    <message>
        <source>Month {period} of {person} reopened.</source>
        <translation>Đã mở khóa kỳ {period} của {person}.</translation>
    </message>
    <message>
        <source>whose key signs and opens the bundles (a person id or agency)</source>
        <translation>khóa của ai dùng để ký và mở gói dữ liệu (mã công chức hoặc agency)</translation>
    </message>
    <message>
        <source>personal keys on this PC</source>
        <translation>khóa cá nhân trên máy này</translation>
    </message>
    <message>
        <source>create a person&apos;s key</source>
        <translation>tạo khóa cho một người</translation>
    </message>
    <message>
        <source>write the enrolment request for the agency here</source>
        <translation>ghi yêu cầu đăng ký khóa gửi cơ quan vào đây</translation>
    </message>
    <message>
        <source>list the keys on this PC</source>
        <translation>liệt kê các khóa trên máy này</translation>
    </message>
    <message>
        <source>change a key&apos;s passphrase</source>
        <translation>đổi mật khẩu của khóa</translation>
    </message>
    <message>
        <source>person identifier (or agency)</source>
        <translation>mã công chức (hoặc agency)</translation>
    </message>
    <message>
        <source>agency: publish the key of an enrolment request</source>
        <translation>cơ quan: công bố khóa của một yêu cầu đăng ký khóa</translation>
    </message>
    <message>
        <source>the enrolment request</source>
        <translation>yêu cầu đăng ký khóa</translation>
    </message>
    <message>
        <source>agency: revoke a key</source>
        <translation>cơ quan: thu hồi một khóa</translation>
    </message>
    <message>
        <source>the key&apos;s fingerprint</source>
        <translation>dấu vân tay của khóa</translation>
    </message>
    <message>
        <source>agency: create the agency&apos;s signing key on this PC</source>
        <translation>cơ quan: tạo khóa ký của cơ quan trên máy này</translation>
    </message>
    <message>
        <source>the agency key is lost: make a new one (every PC must then import the next organisation file with --new-agency-key)</source>
        <translation>khóa của cơ quan bị mất: tạo khóa mới (sau đó mọi máy phải nhập tệp tổ chức tiếp theo với --new-agency-key)</translation>
    </message>
    <message>
        <source>agency: replace the agency&apos;s key; the next organisation file announces it</source>
        <translation>cơ quan: thay khóa của cơ quan; tệp tổ chức tiếp theo sẽ thông báo khóa mới</translation>
    </message>
    <message>
        <source>the organisation file</source>
        <translation>tệp tổ chức</translation>
    </message>
    <message>
        <source>set up or update this PC from the agency&apos;s organisation file</source>
        <translation>thiết lập hoặc cập nhật máy này từ tệp tổ chức của cơ quan</translation>
    </message>
    <message>
        <source>organisation file</source>
        <translation>tệp tổ chức</translation>
    </message>
    <message>
        <source>after the agency lost its key: trust the new agency key with this fingerprint (check it with the agency by phone)</source>
        <translation>khi cơ quan bị mất khóa: tin khóa mới của cơ quan có dấu vân tay này (hãy gọi điện cho cơ quan để đối chiếu)</translation>
    </message>
    <message>
        <source>agency: start the organisation on an empty agency PC</source>
        <translation>cơ quan: khởi tạo tổ chức trên máy trống của cơ quan</translation>
    </message>
    <message>
        <source>organisation identifier</source>
        <translation>mã tổ chức</translation>
    </message>
    <message>
        <source>name (Vietnamese)</source>
        <translation>tên (tiếng Việt)</translation>
    </message>
    <message>
        <source>short code</source>
        <translation>mã viết tắt</translation>
    </message>
    <message>
        <source>agency: who helps your users (unit, phone, e-mail), shown in Help</source>
        <translation>cơ quan: đầu mối hỗ trợ người dùng (bộ phận, điện thoại, thư điện tử), hiện trong mục Trợ giúp</translation>
    </message>
    <message>
        <source>the support contact, for example &quot;Bộ phận tổ chức cán bộ — 0238 …&quot;</source>
        <translation>đầu mối hỗ trợ, ví dụ &quot;Bộ phận tổ chức cán bộ — 0238 …&quot;</translation>
    </message>
    <message>
        <source>agency: import a catalog workbook (layout of QĐ 283) as the active version</source>
        <translation>cơ quan: nhập tệp danh mục sản phẩm/công việc (mẫu QĐ 283) làm phiên bản đang dùng</translation>
    </message>
    <message>
        <source>catalog workbook</source>
        <translation>tệp danh mục sản phẩm/công việc</translation>
    </message>
    <message>
        <source>catalog version identifier</source>
        <translation>mã phiên bản danh mục</translation>
    </message>
    <message>
        <source>catalog version label</source>
        <translation>tên phiên bản danh mục</translation>
    </message>
    <message>
        <source>agency: import a staff list (CSV or XLSX)</source>
        <translation>cơ quan: nhập danh sách công chức (CSV hoặc XLSX)</translation>
    </message>
    <message>
        <source>staff list</source>
        <translation>danh sách công chức</translation>
    </message>
    <message>
        <source>agency: add a scoring policy version (JSON file)</source>
        <translation>cơ quan: thêm một phiên bản quy tắc chấm điểm (tệp JSON)</translation>
    </message>
    <message>
        <source>policy file</source>
        <translation>tệp quy tắc chấm điểm</translation>
    </message>
    <message>
        <source>the day the policy takes effect</source>
        <translation>ngày quy tắc chấm điểm có hiệu lực</translation>
    </message>
    <message>
        <source>agency: list the officials&apos; proposals of new catalog items</source>
        <translation>cơ quan: liệt kê các đề xuất bổ sung sản phẩm/công việc của công chức</translation>
    </message>
    <message>
        <source>agency: add a proposed item to a new active catalog version</source>
        <translation>cơ quan: đưa sản phẩm/công việc được đề xuất vào một phiên bản danh mục mới và áp dụng</translation>
    </message>
    <message>
        <source>proposal identifier</source>
        <translation>mã đề xuất</translation>
    </message>
    <message>
        <source>code of the new catalog item (for example HCC.99)</source>
        <translation>mã của sản phẩm/công việc mới trong danh mục (ví dụ HCC.99)</translation>
    </message>
    <message>
        <source>points of the new item (default: the proposed points)</source>
        <translation>số điểm của sản phẩm/công việc mới (mặc định: số điểm đề xuất)</translation>
    </message>
    <message>
        <source>note for the official</source>
        <translation>ghi chú gửi công chức</translation>
    </message>
    <message>
        <source>agency: reject a proposal of a new catalog item</source>
        <translation>cơ quan: không chấp nhận một đề xuất bổ sung sản phẩm/công việc</translation>
    </message>
    <message>
        <source>why it is rejected (for the official)</source>
        <translation>lý do không chấp nhận (gửi công chức)</translation>
    </message>
    <message>
        <source>agency: how many bundles and megabytes each member may send to the hub a day (without options: show them)</source>
        <translation>cơ quan: mỗi người được gửi lên máy chủ tiếp nhận bao nhiêu gói dữ liệu và bao nhiêu MB mỗi ngày (không có tùy chọn: xem mức hiện hành)</translation>
    </message>
    <message>
        <source>bundles per member in any 24 hours</source>
        <translation>số gói dữ liệu của mỗi người trong 24 giờ bất kỳ</translation>
    </message>
    <message>
        <source>megabytes per member in any 24 hours</source>
        <translation>số MB của mỗi người trong 24 giờ bất kỳ</translation>
    </message>
    <message>
        <source>agency: sign and write the next version of the organisation file</source>
        <translation>cơ quan: ký và ghi phiên bản tiếp theo của tệp tổ chức</translation>
    </message>
    <message>
        <source>folder to write the file to</source>
        <translation>thư mục ghi tệp</translation>
    </message>
    <message>
        <source>propose a new product or task for the catalog (Article 13.3)</source>
        <translation>đề xuất bổ sung sản phẩm/công việc vào danh mục (khoản 3 Điều 13)</translation>
    </message>
    <message>
        <source>name of the product or task (Vietnamese)</source>
        <translation>tên sản phẩm/công việc (tiếng Việt)</translation>
    </message>
    <message>
        <source>its output</source>
        <translation>kết quả đầu ra</translation>
    </message>
    <message>
        <source>suggested complexity group</source>
        <translation>nhóm mức độ phức tạp đề xuất</translation>
    </message>
    <message>
        <source>suggested points</source>
        <translation>số điểm đề xuất</translation>
    </message>
    <message>
        <source>why the catalog should include it</source>
        <translation>lý do cần bổ sung vào danh mục</translation>
    </message>
    <message>
        <source>import bundles (files, or every bundle in a folder)</source>
        <translation>nhập gói dữ liệu (tệp, hoặc mọi gói trong một thư mục)</translation>
    </message>
    <message>
        <source>bundle file or folder</source>
        <translation>tệp gói dữ liệu hoặc thư mục</translation>
    </message>
    <message>
        <source>send and receive bundles</source>
        <translation>gửi và nhận gói dữ liệu</translation>
    </message>
    <message>
        <source>write everything not yet acknowledged to a folder (USB stick)</source>
        <translation>ghi mọi thứ chưa được xác nhận đã nhận vào một thư mục (USB)</translation>
    </message>
    <message>
        <source>folder to write the bundles to</source>
        <translation>thư mục ghi gói dữ liệu</translation>
    </message>
    <message>
        <source>send the outbox to the hub and fetch what is addressed to this PC</source>
        <translation>gửi hộp thư đi lên máy chủ tiếp nhận và lấy về những gì gửi cho máy này</translation>
    </message>
    <message>
        <source>hub address</source>
        <translation>địa chỉ máy chủ tiếp nhận</translation>
    </message>
    <message>
        <source>bundles that did not arrive, bundles held, records refused or flagged</source>
        <translation>các gói dữ liệu chưa đến, bị giữ lại, các bản ghi bị từ chối hoặc bị đánh dấu</translation>
    </message>
    <message>
        <source>import a bundle held for a reused number, after checking it with its sender</source>
        <translation>nhập một gói dữ liệu đang bị giữ vì trùng số, sau khi đã đối chiếu với người gửi</translation>
    </message>
    <message>
        <source>bundle identifier</source>
        <translation>mã gói dữ liệu</translation>
    </message>
    <message>
        <source>drop a bundle held for a reused number without importing it</source>
        <translation>loại bỏ một gói dữ liệu đang bị giữ vì trùng số, không nhập</translation>
    </message>
    <message>
        <source>the agency hub</source>
        <translation>máy chủ tiếp nhận của cơ quan</translation>
    </message>
    <message>
        <source>run the hub (HTTP)</source>
        <translation>chạy máy chủ tiếp nhận (HTTP)</translation>
    </message>
    <message>
        <source>address to listen on</source>
        <translation>địa chỉ nhận kết nối</translation>
    </message>
    <message>
        <source>port</source>
        <translation>cổng</translation>
    </message>
    <message>
        <source>where the hub stores bundles: sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE (default: this data folder&apos;s database)</source>
        <translation>nơi máy chủ tiếp nhận lưu các gói: sqlite:///TỆP hoặc postgresql+psycopg://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY_CHỦ/CSDL (mặc định: cơ sở dữ liệu của thư mục dữ liệu này)</translation>
    </message>
    <message>
        <source>serve HTTPS with this certificate (PEM, with its chain)</source>
        <translation>phục vụ HTTPS bằng chứng thư số này (PEM, kèm chuỗi chứng thư)</translation>
    </message>
    <message>
        <source>the private key of the certificate (PEM)</source>
        <translation>khóa bí mật của chứng thư số (PEM)</translation>
    </message>
    <message>
        <source>the address of the reverse proxy in front of the hub: its X-Forwarded-For header then names each client</source>
        <translation>địa chỉ của máy chủ trung gian (reverse proxy) đặt trước máy chủ tiếp nhận: khi đó trường X-Forwarded-For của nó cho biết từng máy khách</translation>
    </message>
    <message>
        <source>New passphrase for {owner}: </source>
        <translation>Mật khẩu mới cho {owner}: </translation>
    </message>
    <message>
        <source>Passphrase for {owner}: </source>
        <translation>Mật khẩu của {owner}: </translation>
    </message>
    <message>
        <source>Key of {owner} created; fingerprint {fingerprint}.</source>
        <translation>Đã tạo khóa cho {owner}; dấu vân tay {fingerprint}.</translation>
    </message>
    <message>
        <source>Give {path} to the agency so that it publishes the key.</source>
        <translation>Hãy chuyển {path} cho cơ quan để cơ quan công bố khóa.</translation>
    </message>
    <message>
        <source>published</source>
        <translation>đã công bố</translation>
    </message>
    <message>
        <source>waiting for the agency</source>
        <translation>đang chờ cơ quan</translation>
    </message>
    <message>
        <source>Passphrase of {owner} changed.</source>
        <translation>Đã đổi mật khẩu của {owner}.</translation>
    </message>
    <message>
        <source>Key {fingerprint} of {owner} enrolled; publish the organisation file to send it out.</source>
        <translation>Đã công bố khóa {fingerprint} của {owner}; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
    <message>
        <source>Key revoked; publish the organisation file to send it out.</source>
        <translation>Đã thu hồi khóa; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
    <message>
        <source>New agency key {fingerprint}; publish the organisation file to announce it.</source>
        <translation>Khóa mới của cơ quan: {fingerprint}; hãy phát hành tệp tổ chức để thông báo khóa này.</translation>
    </message>
    <message>
        <source>Agency key created; fingerprint {fingerprint}.</source>
        <translation>Đã tạo khóa của cơ quan; dấu vân tay {fingerprint}.</translation>
    </message>
    <message>
        <source>Organisation “{name}” created.</source>
        <translation>Đã tạo tổ chức “{name}”.</translation>
    </message>
    <message>
        <source>Support contact set to “{contact}”; publish the organisation file to send it to every PC.</source>
        <translation>Đã đặt đầu mối hỗ trợ là “{contact}”; hãy phát hành tệp tổ chức để gửi đến mọi máy.</translation>
    </message>
    <message>
        <source>Catalog version {version}: {count} items imported.</source>
        <translation>Phiên bản danh mục {version}: đã nhập {count} sản phẩm/công việc.</translation>
    </message>
    <message>
        <source>Staff list imported: {added} people added, {updated} updated, {units} units and {positions} job positions added, {relations} evaluator relations set.</source>
        <translation>Đã nhập danh sách công chức: thêm {added} người, cập nhật {updated} người, thêm {units} đơn vị và {positions} vị trí việc làm, thiết lập {relations} quan hệ người đánh giá.</translation>
    </message>
    <message>
        <source>Scoring policy {version} stored; publish the organisation file to send it out.</source>
        <translation>Đã lưu quy tắc chấm điểm {version}; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
    <message>
        <source>Organisation version {version} written to {path}.</source>
        <translation>Đã ghi tệp tổ chức phiên bản {version} vào {path}.</translation>
    </message>
    <message>
        <source>Hub limits set; publish the organisation file to send them to the hub.</source>
        <translation>Đã đặt hạn mức của máy chủ tiếp nhận; hãy phát hành tệp tổ chức để gửi hạn mức lên máy chủ tiếp nhận.</translation>
    </message>
    <message>
        <source>Each member may send {bundles} bundles and {megabytes} MB to the hub in any 24 hours.</source>
        <translation>Mỗi người được gửi lên máy chủ tiếp nhận tối đa {bundles} gói dữ liệu và {megabytes} MB trong 24 giờ bất kỳ.</translation>
    </message>
    <message>
        <source>Proposal accepted as item {code} of the new active catalog version {version}; publish the organisation file to send it out.</source>
        <translation>Đã chấp nhận đề xuất thành sản phẩm/công việc {code} trong phiên bản danh mục mới {version} (đang áp dụng); hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
    <message>
        <source>Proposal {id} rejected.</source>
        <translation>Đã không chấp nhận đề xuất {id}.</translation>
    </message>
    <message>
        <source>No proposals.</source>
        <translation>Chưa có đề xuất nào.</translation>
    </message>
    <message>
        <source>Proposal {id} filed; it goes to the agency with your next export.</source>
        <translation>Đã lập đề xuất {id}; đề xuất sẽ được gửi đến cơ quan trong lần xuất dữ liệu tiếp theo.</translation>
    </message>
    <message>
        <source>No bundle file (*.kpib) was found in {folder}: nothing was imported from it.</source>
        <translation>Không tìm thấy tệp gói dữ liệu (*.kpib) nào trong {folder}: không nhập gì từ thư mục này.</translation>
    </message>
    <message>
        <source>Refused for {recipient}: {file}. {reason}</source>
        <translation>Bị từ chối (gửi {recipient}): {file}. {reason}</translation>
    </message>
    <message>
        <source>the agency</source>
        <translation>cơ quan</translation>
    </message>
    <message>
        <source>Agency key: {fingerprint}</source>
        <translation>Khóa của cơ quan: {fingerprint}</translation>
    </message>
    <message>
        <source>Nothing missing, held, refused or flagged.</source>
        <translation>Không có gói dữ liệu nào thiếu hay bị giữ, không có bản ghi nào bị từ chối hay bị đánh dấu.</translation>
    </message>
    <message>
        <source>Held bundle {bundle} discarded.</source>
        <translation>Đã loại bỏ gói dữ liệu {bundle} đang bị giữ.</translation>
    </message>
    <message>
        <source>Written {path} for {recipient} (number {seq}).</source>
        <translation>Đã ghi {path} gửi {recipient} (số {seq}).</translation>
    </message>
    <message>
        <source>Nothing to send: everything was acknowledged.</source>
        <translation>Không có gì để gửi: mọi thứ đã được xác nhận đã nhận.</translation>
    </message>
    <message>
        <source>Sent {sent} bundle to the hub.</source>
        <translation>Đã gửi {sent} gói dữ liệu lên máy chủ tiếp nhận.</translation>
    </message>
    <message>
        <source>Sent {sent} bundles to the hub.</source>
        <translation>Đã gửi {sent} gói dữ liệu lên máy chủ tiếp nhận.</translation>
    </message>
    <message>
        <source>appeals against results</source>
        <translation>kiến nghị về kết quả đánh giá, xếp loại</translation>
    </message>
    <message>
        <source>the acting person&apos;s identifier</source>
        <translation>mã công chức của người thực hiện</translation>
    </message>
    <message>
        <source>the date taken as today (YYYY-MM-DD)</source>
        <translation>ngày được coi là hôm nay (YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>file an appeal</source>
        <translation>gửi kiến nghị</translation>
    </message>
    <message>
        <source>the month (YYYY-MM) or year (YYYY) appealed</source>
        <translation>tháng (YYYY-MM) hoặc năm (YYYY) được kiến nghị</translation>
    </message>
    <message>
        <source>why</source>
        <translation>lý do</translation>
    </message>
    <message>
        <source>list appeals</source>
        <translation>danh sách kiến nghị</translation>
    </message>
    <message>
        <source>the person who filed them</source>
        <translation>người gửi kiến nghị</translation>
    </message>
    <message>
        <source>the person who decides them</source>
        <translation>người giải quyết kiến nghị</translation>
    </message>
    <message>
        <source>decide an appeal</source>
        <translation>giải quyết kiến nghị</translation>
    </message>
    <message>
        <source>appeal identifier</source>
        <translation>mã kiến nghị</translation>
    </message>
    <message>
        <source>upheld or changed</source>
        <translation>upheld (giữ nguyên) hoặc changed (thay đổi)</translation>
    </message>
    <message>
        <source>the decision&apos;s text</source>
        <translation>nội dung kết quả giải quyết</translation>
    </message>
    <message>
        <source>new general criteria points of the month</source>
        <translation>điểm tiêu chí chung mới của tháng</translation>
    </message>
    <message>
        <source>new factor đ</source>
        <translation>tiêu chí đ mới</translation>
    </message>
    <message>
        <source>new factor e</source>
        <translation>tiêu chí e mới</translation>
    </message>
    <message>
        <source>new level of the year</source>
        <translation>mức xếp loại mới của năm</translation>
    </message>
    <message>
        <source>number of the replacement decision</source>
        <translation>số quyết định thay thế</translation>
    </message>
    <message>
        <source>date of the replacement decision</source>
        <translation>ngày quyết định thay thế</translation>
    </message>
    <message>
        <source>withdraw an appeal</source>
        <translation>rút kiến nghị</translation>
    </message>
    <message>
        <source>the working-day calendar</source>
        <translation>lịch ngày làm việc</translation>
    </message>
    <message>
        <source>holidays and declared days of a year</source>
        <translation>ngày nghỉ lễ, tết và ngày do cơ quan thông báo trong năm</translation>
    </message>
    <message>
        <source>declare a day off or a make-up working day</source>
        <translation>thông báo ngày nghỉ hoặc ngày làm bù</translation>
    </message>
    <message>
        <source>date</source>
        <translation>ngày</translation>
    </message>
    <message>
        <source>day_off or workday</source>
        <translation>day_off (ngày nghỉ) hoặc workday (ngày làm bù)</translation>
    </message>
    <message>
        <source>name of the day</source>
        <translation>tên của ngày</translation>
    </message>
    <message>
        <source>remove a declared day</source>
        <translation>xóa một ngày đã thông báo</translation>
    </message>
    <message>
        <source>Appeal {id} filed against {period}; to be decided by {deadline}.</source>
        <translation>Đã gửi kiến nghị {id} về kỳ {period}; hạn giải quyết {deadline}.</translation>
    </message>
    <message>
        <source>{n} appeals.</source>
        <translation>{n} kiến nghị.</translation>
    </message>
    <message>
        <source>Appeal {id} withdrawn.</source>
        <translation>Đã rút kiến nghị {id}.</translation>
    </message>
    <message>
        <source>Appeal {id} decided: {outcome}.</source>
        <translation>Đã giải quyết kiến nghị {id}: {outcome}.</translation>
    </message>
    <message>
        <source>holiday</source>
        <translation>nghỉ lễ, tết</translation>
    </message>
    <message>
        <source>day off</source>
        <translation>ngày nghỉ</translation>
    </message>
    <message>
        <source>make-up working day</source>
        <translation>ngày làm bù</translation>
    </message>
    <message>
        <source>* declared by the agency</source>
        <translation>* do cơ quan thông báo</translation>
    </message>
    <message>
        <source>{date} recorded in the calendar.</source>
        <translation>Đã ghi ngày {date} vào lịch.</translation>
    </message>
    <message>
        <source>{date} removed from the calendar.</source>
        <translation>Đã xóa ngày {date} khỏi lịch.</translation>
    </message>
    <message>
        <source>organisation evaluation: indicators, level, decision (Article 8)</source>
        <translation>đánh giá, xếp loại chất lượng tổ chức: chỉ số, mức xếp loại, quyết định (Điều 8)</translation>
    </message>
    <message>
        <source>the person identifier of who does it</source>
        <translation>mã công chức của người thực hiện</translation>
    </message>
    <message>
        <source>organisation indicators</source>
        <translation>chỉ số của cơ quan, tổ chức</translation>
    </message>
    <message>
        <source>import indicator values from a CSV file (unit,period,code,value)</source>
        <translation>nhập giá trị chỉ số từ tệp CSV (unit,period,code,value)</translation>
    </message>
    <message>
        <source>the CSV file</source>
        <translation>tệp CSV</translation>
    </message>
    <message>
        <source>enter one indicator value</source>
        <translation>nhập một giá trị chỉ số</translation>
    </message>
    <message>
        <source>year, quarter or month</source>
        <translation>năm, quý hoặc tháng</translation>
    </message>
    <message>
        <source>indicator code</source>
        <translation>mã chỉ số</translation>
    </message>
    <message>
        <source>the value</source>
        <translation>giá trị</translation>
    </message>
    <message>
        <source>a unit&apos;s indicators, computed level and recorded decision</source>
        <translation>chỉ số, mức xếp loại tính được và quyết định đã ghi của một đơn vị</translation>
    </message>
    <message>
        <source>record the decision on a unit&apos;s level for a year</source>
        <translation>ghi quyết định xếp loại chất lượng của đơn vị trong năm</translation>
    </message>
    <message>
        <source>excellent, good, complete or not_complete</source>
        <translation>excellent (Hoàn thành xuất sắc nhiệm vụ), good (Hoàn thành tốt nhiệm vụ), complete (Hoàn thành nhiệm vụ) hoặc not_complete (Không hoàn thành nhiệm vụ)</translation>
    </message>
    <message>
        <source>decision number</source>
        <translation>số quyết định</translation>
    </message>
    <message>
        <source>decision date (default: today)</source>
        <translation>ngày quyết định (mặc định: hôm nay)</translation>
    </message>
    <message>
        <source>note (needed when the level differs from the computed one)</source>
        <translation>ghi chú (bắt buộc khi mức xếp loại khác mức tính được)</translation>
    </message>
    <message>
        <source>assigned and completed work by KPI kind (spearhead, hard, soft)</source>
        <translation>công việc được giao và đã hoàn thành theo loại KPI (nhóm nhiệm vụ: mũi nhọn; cứng, tức định lượng; mềm, tức định tính)</translation>
    </message>
    <message>
        <source>also write the report as CSV</source>
        <translation>ghi thêm báo cáo ra tệp CSV</translation>
    </message>
    <message>
        <source>{n} indicator values imported.</source>
        <translation>Đã nhập {n} giá trị chỉ số.</translation>
    </message>
    <message>
        <source>{name} of {unit} for {period}: {value}</source>
        <translation>{name} của {unit} kỳ {period}: {value}</translation>
    </message>
    <message>
        <source>Level of {unit} for {year} recorded: {level} (decision {no}).</source>
        <translation>Đã ghi mức xếp loại của {unit} năm {year}: {level} (quyết định {no}).</translation>
    </message>
    <message>
        <source>transfers between units and agencies, unit mergers</source>
        <translation>điều động, chuyển công tác giữa các đơn vị, cơ quan; sáp nhập đơn vị</translation>
    </message>
    <message>
        <source>who records it (the head of the agency or the administrator)</source>
        <translation>người ghi nhận (người đứng đầu cơ quan hoặc người quản trị)</translation>
    </message>
    <message>
        <source>the date it takes effect (YYYY-MM-DD)</source>
        <translation>ngày có hiệu lực (YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>move a person to another unit</source>
        <translation>điều động một người sang đơn vị khác</translation>
    </message>
    <message>
        <source>the new unit</source>
        <translation>đơn vị mới</translation>
    </message>
    <message>
        <source>why (the decision)</source>
        <translation>lý do (theo quyết định)</translation>
    </message>
    <message>
        <source>confirm a date more than 15 days from today (the decision&apos;s date)</source>
        <translation>xác nhận ngày cách hôm nay hơn 15 ngày (ngày của quyết định)</translation>
    </message>
    <message>
        <source>who evaluates, from the date, the people this person evaluated (default: the head above)</source>
        <translation>người đánh giá, từ ngày có hiệu lực, những công chức mà người này đang đánh giá (mặc định: người đứng đầu cấp trên)</translation>
    </message>
    <message>
        <source>merge units into one</source>
        <translation>sáp nhập các đơn vị thành một</translation>
    </message>
    <message>
        <source>the units that are merged, separated by commas</source>
        <translation>các đơn vị được sáp nhập, cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <source>the unit they are merged into (new or existing)</source>
        <translation>đơn vị sau sáp nhập (mới hoặc đã có)</translation>
    </message>
    <message>
        <source>the name of a new unit</source>
        <translation>tên đơn vị mới</translation>
    </message>
    <message>
        <source>write a person&apos;s monthly results for another agency</source>
        <translation>xuất kết quả theo dõi, đánh giá hằng tháng của một người để gửi cơ quan khác</translation>
    </message>
    <message>
        <source>folder to write the file into</source>
        <translation>thư mục ghi tệp</translation>
    </message>
    <message>
        <source>only this year (default: every locked month)</source>
        <translation>chỉ năm này (mặc định: mọi tháng đã khóa)</translation>
    </message>
    <message>
        <source>import monthly results sent by another agency</source>
        <translation>nhập kết quả hằng tháng do cơ quan khác gửi</translation>
    </message>
    <message>
        <source>the transfer file</source>
        <translation>tệp chuyển kết quả</translation>
    </message>
    <message>
        <source>the sending agency&apos;s key fingerprint, compared with that agency</source>
        <translation>dấu vân tay khóa của cơ quan gửi, đã đối chiếu với cơ quan đó</translation>
    </message>
    <message>
        <source>a person&apos;s units, evaluators and the origin of each month</source>
        <translation>các đơn vị, người đánh giá của một người và nguồn của từng tháng</translation>
    </message>
    <message>
        <source>{person} moved from {old} to {new} from {date}; evaluator: {evaluator}.</source>
        <translation>{person} được điều động từ {old} sang {new} từ ngày {date}; người đánh giá: {evaluator}.</translation>
    </message>
    <message>
        <source>From {date}, {successor} evaluates the people {person} evaluated: {people}.</source>
        <translation>Từ ngày {date}, {successor} đánh giá những công chức trước đây do {person} đánh giá: {people}.</translation>
    </message>
    <message>
        <source>{units} merged into {into} from {date}: {people} people and {subunits} sub-units moved.</source>
        <translation>{units} được sáp nhập vào {into} từ ngày {date}: chuyển {people} người và {subunits} đơn vị trực thuộc.</translation>
    </message>
    <message>
        <source>{n} months of {person} written to {path}.</source>
        <translation>Đã ghi {n} tháng của {person} vào {path}.</translation>
    </message>
    <message>
        <source>Signed by the agency key {fingerprint}: tell the receiving agency this fingerprint.</source>
        <translation>Đã ký bằng khóa cơ quan {fingerprint}: hãy báo dấu vân tay này cho cơ quan tiếp nhận.</translation>
    </message>
    <message>
        <source>Monthly results of {person} ({name}) from {agency}: {months}.</source>
        <translation>Kết quả hằng tháng của {person} ({name}) từ {agency}: {months}.</translation>
    </message>
    <message>
        <source>Signed by the key {fingerprint}. Compare it with the sending agency, then run the command again with --trust FINGERPRINT.</source>
        <translation>Ký bằng khóa {fingerprint}. Hãy đối chiếu với cơ quan gửi, rồi chạy lại lệnh với --trust DẤU_VÂN_TAY.</translation>
    </message>
    <message>
        <source>This transfer was imported before; nothing changed.</source>
        <translation>Kết quả chuyển này đã được nhập trước đó; không có gì thay đổi.</translation>
    </message>
    <message>
        <source>{n} months of {person} from {agency} imported.</source>
        <translation>Đã nhập {n} tháng của {person} từ {agency}.</translation>
    </message>
    <message>
        <source>Units:</source>
        <translation>Đơn vị công tác:</translation>
    </message>
    <message>
        <source>Evaluators:</source>
        <translation>Người đánh giá:</translation>
    </message>
    <message>
        <source>Months of {year}:</source>
        <translation>Các tháng năm {year}:</translation>
    </message>
    <message>
        <source>Warning: the hub serves plain HTTP on {host}: sign-in tokens and organisation files cross the network unencrypted. Give --certfile and --keyfile, or run it behind a reverse proxy with TLS (README, “For IT staff”).</source>
        <translation>Cảnh báo: máy chủ tiếp nhận đang phục vụ HTTP không mã hóa trên {host}: mã đăng nhập và tệp tổ chức đi qua mạng ở dạng không mã hóa. Hãy dùng --certfile và --keyfile, hoặc chạy sau một máy chủ trung gian có TLS (README, mục “For IT staff”).</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 trang</translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation>{n} trang</translation>
    </message>
    <message>
        <source>discipline decisions (Article 20.4, 11.3)</source>
        <translation>quyết định kỷ luật (khoản 4 Điều 20, khoản 3 Điều 11)</translation>
    </message>
    <message>
        <source>record a discipline decision</source>
        <translation>ghi nhận một quyết định kỷ luật</translation>
    </message>
    <message>
        <source>the evaluator who records it</source>
        <translation>người đánh giá ghi nhận</translation>
    </message>
    <message>
        <source>the form of discipline or other override</source>
        <translation>hình thức kỷ luật hoặc trường hợp khác</translation>
    </message>
    <message>
        <source>the date of the decision</source>
        <translation>ngày ban hành quyết định</translation>
    </message>
    <message>
        <source>the date of the act the decision is about</source>
        <translation>ngày xảy ra hành vi vi phạm</translation>
    </message>
    <message>
        <source>administrative or party discipline, or another competent authority</source>
        <translation>kỷ luật hành chính, kỷ luật đảng hoặc kết luận của cấp có thẩm quyền khác</translation>
    </message>
    <message>
        <source>an earlier decision about the same act</source>
        <translation>quyết định trước đó về cùng một hành vi vi phạm</translation>
    </message>
    <message>
        <source>the year the act was already rated Unsatisfactory (Article 11.3(b))</source>
        <translation>năm hành vi đã được dùng để xếp loại không hoàn thành nhiệm vụ (điểm b khoản 3 Điều 11)</translation>
    </message>
    <message>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <source>a person&apos;s discipline decisions</source>
        <translation>các quyết định kỷ luật của một người</translation>
    </message>
    <message>
        <source>sick, maternity and unpaid personal leave (Article 11.2)</source>
        <translation>nghỉ ốm, nghỉ thai sản và nghỉ việc riêng không hưởng lương (khoản 2 Điều 11)</translation>
    </message>
    <message>
        <source>who records it: the agency administrator (agency), the chairman or the person&apos;s evaluator</source>
        <translation>người ghi nhận: người quản trị của cơ quan (agency), chủ tịch hoặc người đánh giá của công chức</translation>
    </message>
    <message>
        <source>record a period of leave</source>
        <translation>ghi nhận một thời gian nghỉ</translation>
    </message>
    <message>
        <source>sick or maternity leave (social insurance), or unpaid personal leave</source>
        <translation>nghỉ ốm hoặc nghỉ thai sản (bảo hiểm xã hội), hoặc nghỉ việc riêng không hưởng lương</translation>
    </message>
    <message>
        <source>the first day of the leave</source>
        <translation>ngày bắt đầu nghỉ</translation>
    </message>
    <message>
        <source>the last day of the leave</source>
        <translation>ngày nghỉ cuối cùng</translation>
    </message>
    <message>
        <source>a person&apos;s leave</source>
        <translation>thời gian nghỉ của một người</translation>
    </message>
    <message>
        <source>removed records too</source>
        <translation>gồm cả các bản ghi đã hủy</translation>
    </message>
    <message>
        <source>remove a leave record</source>
        <translation>hủy một bản ghi nghỉ</translation>
    </message>
    <message>
        <source>why it is removed</source>
        <translation>lý do hủy</translation>
    </message>
    <message>
        <source>leave identifier</source>
        <translation>mã bản ghi nghỉ</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(đã hủy)</translation>
    </message>
    <message>
        <source>Leave recorded:</source>
        <translation>Đã ghi nhận thời gian nghỉ:</translation>
    </message>
    <message>
        <source>Leave {id} removed.</source>
        <translation>Đã hủy bản ghi nghỉ {id}.</translation>
    </message>
    <message>
        <source>No leave is recorded for this person.</source>
        <translation>Người này chưa có thời gian nghỉ nào được ghi nhận.</translation>
    </message>
    <message>
        <source>Months entirely on leave (not in the mean): {months}</source>
        <translation>Các tháng nghỉ cả tháng (không tính vào điểm trung bình): {months}</translation>
    </message>
    <message>
        <source>act of {date}</source>
        <translation>hành vi ngày {date}</translation>
    </message>
    <message>
        <source>date of the act not recorded</source>
        <translation>chưa ghi ngày xảy ra hành vi</translation>
    </message>
    <message>
        <source>Discipline decision recorded:</source>
        <translation>Đã ghi nhận quyết định kỷ luật:</translation>
    </message>
    <message>
        <source>No discipline decision is recorded for this person.</source>
        <translation>Người này chưa có quyết định kỷ luật nào.</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>KPI Desktop: unexpected error</source>
        <translation>KPI Desktop: lỗi ngoài dự kiến</translation>
    </message>
    <message>
        <source>Something went wrong that KPI Desktop did not expect. What you saved before is safe; the last action may not have been completed. Please copy or save the details below and send them to your IT staff. They are also in the log file {path}.</source>
        <translation>Đã xảy ra lỗi mà KPI Desktop không lường trước. Những gì đã lưu trước đó vẫn an toàn; thao tác vừa rồi có thể chưa hoàn tất. Vui lòng sao chép hoặc lưu thông tin chi tiết dưới đây và gửi cho cán bộ phụ trách công nghệ thông tin. Thông tin này cũng có trong tệp nhật ký {path}.</translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation>&amp;Sao chép chi tiết</translation>
    </message>
    <message>
        <source>&amp;Save details…</source>
        <translation>&amp;Lưu chi tiết…</translation>
    </message>
    <message>
        <source>Save the error details</source>
        <translation>Lưu chi tiết lỗi</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Tệp văn bản (*.txt)</translation>
    </message>
</context>
<context>
    <name>DecideDialog</name>
    <message>
        <source>Decide the appeal</source>
        <translation>Giải quyết kiến nghị</translation>
    </message>
    <message>
        <source>Uphold the result</source>
        <translation>Giữ nguyên kết quả</translation>
    </message>
    <message>
        <source>Change the result</source>
        <translation>Thay đổi kết quả</translation>
    </message>
    <message>
        <source>New result</source>
        <translation>Kết quả mới</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mức xếp loại</translation>
    </message>
    <message>
        <source>Replacement decision No.</source>
        <translation>Số quyết định thay thế</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>Ngày quyết định</translation>
    </message>
    <message>
        <source>đ: organising the work</source>
        <translation>đ: khả năng tổ chức triển khai thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>e: rallying and uniting the staff</source>
        <translation>e: năng lực tập hợp, đoàn kết</translation>
    </message>
    <message>
        <source>Decision (content and grounds)</source>
        <translation>Kết quả giải quyết (nội dung và căn cứ)</translation>
    </message>
    <message>
        <source>Record the decision</source>
        <translation>Ghi kết quả giải quyết</translation>
    </message>
    <message>
        <source>Write the decision first.</source>
        <translation>Hãy nhập kết quả giải quyết trước.</translation>
    </message>
</context>
<context>
    <name>Delivery</name>
    <message>
        <source>waiting to be copied to USB / synchronised</source>
        <translation>chờ chép USB / đồng bộ</translation>
    </message>
    <message>
        <source>with the leader</source>
        <translation>đã đến lãnh đạo</translation>
    </message>
    <message>
        <source>with the leader (same PC)</source>
        <translation>đã đến lãnh đạo (cùng máy)</translation>
    </message>
</context>
<context>
    <name>DesktopWindow</name>
    <message>
        <source>Signed in as {name}.</source>
        <translation>Đã đăng nhập: {name}.</translation>
    </message>
    <message>
        <source>Enrolment request</source>
        <translation>Yêu cầu đăng ký khóa</translation>
    </message>
    <message>
        <source>The enrolment request of {name} was not saved: {reason}</source>
        <translation>Chưa lưu được yêu cầu đăng ký khóa của {name}: {reason}</translation>
    </message>
    <message>
        <source>The enrolment request of {name} is saved as {path}: take it to the agency.</source>
        <translation>Đã lưu yêu cầu đăng ký khóa của {name} vào {path}: mang tệp này đến bộ phận tổ chức cán bộ.</translation>
    </message>
    <message>
        <source>{page} ({n})</source>
        <translation>{page} ({n})</translation>
    </message>
    <message>
        <source>{page} (Ctrl+{n})</source>
        <translation>{page} (Ctrl+{n})</translation>
    </message>
    <message>
        <source>The file was written.</source>
        <translation>Đã ghi tệp.</translation>
    </message>
    <message>
        <source>KPI Desktop — work log and Decree 335 evaluation</source>
        <translation>KPI Desktop — nhật ký công việc và đánh giá theo Nghị định 335</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>Tệ&amp;p</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>Đ&amp;i tới</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>T&amp;rợ giúp</translation>
    </message>
    <message>
        <source>&amp;About KPI Desktop</source>
        <translation>&amp;Giới thiệu KPI Desktop</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Hướng dẫn sử dụng</translation>
    </message>
    <message>
        <source>&amp;Switch user…</source>
        <translation>Đổi &amp;người dùng…</translation>
    </message>
    <message>
        <source>&amp;Print forms and reports…</source>
        <translation>&amp;In phiếu và báo cáo…</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>  Opening the data folder…</source>
        <translation>  Đang mở thư mục dữ liệu…</translation>
    </message>
    <message>
        <source>  Signed in: {name}</source>
        <translation>  Đang đăng nhập: {name}</translation>
    </message>
    <message>
        <source>To work as someone else, use File → Switch user…</source>
        <translation>Để làm việc với tư cách người khác, chọn Tệp → Đổi người dùng…</translation>
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
    <name>DetailSplitter</name>
    <message>
        <source>Details ▸</source>
        <translation>Chi tiết ▸</translation>
    </message>
    <message>
        <source>◂ Details</source>
        <translation>◂ Chi tiết</translation>
    </message>
    <message>
        <source>Show or fold away the detail panel</source>
        <translation>Hiện hoặc thu gọn khung chi tiết</translation>
    </message>
</context>
<context>
    <name>DisciplineAuthority</name>
    <message>
        <source>administrative</source>
        <translation>kỷ luật hành chính</translation>
    </message>
    <message>
        <source>party</source>
        <translation>kỷ luật đảng</translation>
    </message>
    <message>
        <source>competent authority</source>
        <translation>cấp có thẩm quyền</translation>
    </message>
</context>
<context>
    <name>DisciplineCount</name>
    <message>
        <source>already counted: the act was rated Unsatisfactory in {year} (Article 11.3b)</source>
        <translation>đã tính: hành vi này đã là căn cứ xếp loại Không hoàn thành nhiệm vụ năm {year} (điểm b khoản 3 Điều 11)</translation>
    </message>
    <message>
        <source>the act took place at the old organisation: counts in its result, {year} (Article 11.3c)</source>
        <translation>hành vi vi phạm xảy ra ở tổ chức cũ: tính vào kết quả đánh giá, xếp loại của tổ chức cũ, năm {year} (điểm c khoản 3 Điều 11)</translation>
    </message>
    <message>
        <source>same act as another decision: counted once, in {year} (Article 11.3a)</source>
        <translation>cùng hành vi với quyết định khác: chỉ tính một lần, vào năm {year} (điểm a khoản 3 Điều 11)</translation>
    </message>
    <message>
        <source>counts in {year}: Unsatisfactory whatever the score (Article 20.4)</source>
        <translation>tính vào năm {year}: Không hoàn thành nhiệm vụ bất kể số điểm (khoản 4 Điều 20)</translation>
    </message>
</context>
<context>
    <name>DisciplineDialog</name>
    <message>
        <source>Record discipline</source>
        <translation>Ghi kỷ luật</translation>
    </message>
    <message>
        <source>known</source>
        <translation>đã biết</translation>
    </message>
    <message>
        <source>An act committed at the person&apos;s old organisation and disciplined here counts in the old organisation&apos;s result (Article 11.3(c)–(d)).</source>
        <translation>Vi phạm xảy ra ở tổ chức cũ nhưng bị xử lý kỷ luật ở tổ chức mới thì tính vào kết quả đánh giá, xếp loại của tổ chức cũ (điểm c, điểm d khoản 3 Điều 11).</translation>
    </message>
    <message>
        <source>(none — a separate act)</source>
        <translation>(không — hành vi riêng)</translation>
    </message>
    <message>
        <source>Party and administrative decisions about the same act count once (Article 11.3a).</source>
        <translation>Kỷ luật đảng và kỷ luật hành chính về cùng một hành vi vi phạm chỉ tính một lần (điểm a khoản 3 Điều 11).</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <source>If this act was already used to rate the person Unsatisfactory in an earlier year, give that year: the decision is not counted again (Article 11.3b).</source>
        <translation>Nếu hành vi này đã được dùng làm căn cứ xếp loại Không hoàn thành nhiệm vụ ở năm trước, ghi năm đó: quyết định kỷ luật không tính lại (điểm b khoản 3 Điều 11).</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Hình thức</translation>
    </message>
    <message>
        <source>Type of decision</source>
        <translation>Loại quyết định</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>Ngày quyết định</translation>
    </message>
    <message>
        <source>Decision number</source>
        <translation>Số quyết định</translation>
    </message>
    <message>
        <source>Date of the act</source>
        <translation>Ngày xảy ra hành vi</translation>
    </message>
    <message>
        <source>Same act as</source>
        <translation>Cùng hành vi với</translation>
    </message>
    <message>
        <source>Already rated Unsatisfactory in</source>
        <translation>Năm đã xếp loại Không hoàn thành nhiệm vụ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>DisciplineKind</name>
    <message>
        <source>reprimand</source>
        <translation>khiển trách</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>cảnh cáo</translation>
    </message>
    <message>
        <source>salary-step reduction</source>
        <translation>hạ bậc lương</translation>
    </message>
    <message>
        <source>demotion</source>
        <translation>giáng chức</translation>
    </message>
    <message>
        <source>removal from post</source>
        <translation>cách chức</translation>
    </message>
    <message>
        <source>dismissal</source>
        <translation>buộc thôi việc</translation>
    </message>
    <message>
        <source>expulsion from the party</source>
        <translation>khai trừ khỏi Đảng</translation>
    </message>
    <message>
        <source>conclusion of a competent authority</source>
        <translation>kết luận của cấp có thẩm quyền</translation>
    </message>
    <message>
        <source>corruption case in a directly managed unit</source>
        <translation>vụ việc tham nhũng tại đơn vị trực tiếp quản lý</translation>
    </message>
</context>
<context>
    <name>Display</name>
    <message>
        <source>KPI Desktop cannot open its window because this session has no graphical display (DISPLAY and WAYLAND_DISPLAY are not set): start it from the desktop, or use the commands listed by &quot;kpi-desktop --help&quot;.</source>
        <translation>KPI Desktop không mở được cửa sổ vì phiên làm việc này không có màn hình đồ họa (chưa đặt DISPLAY và WAYLAND_DISPLAY): hãy mở chương trình từ giao diện đồ họa của máy, hoặc dùng các lệnh do &quot;kpi-desktop --help&quot; liệt kê.</translation>
    </message>
    <message>
        <source>KPI Desktop cannot open its window ({reason}); if system libraries are missing, install them with &quot;{command}&quot; and start it again.</source>
        <translation>KPI Desktop không mở được cửa sổ ({reason}); nếu máy thiếu thư viện hệ thống, hãy cài bằng lệnh &quot;{command}&quot; rồi mở lại chương trình.</translation>
    </message>
    <message>
        <source>KPI Desktop cannot open its window because this computer lacks system libraries ({libraries}); install them with &quot;{command}&quot; and start it again.</source>
        <translation>KPI Desktop không mở được cửa sổ vì máy thiếu thư viện hệ thống ({libraries}); hãy cài bằng lệnh &quot;{command}&quot; rồi mở lại chương trình.</translation>
    </message>
</context>
<context>
    <name>Dossier</name>
    <message>
        <source>The dossier {file} of {person} for {year} is intact and agrees with the data: {forms} forms and {records} records checked.</source>
        <translation>Hồ sơ {file} của {person} năm {year} còn nguyên vẹn và khớp với dữ liệu: đã kiểm tra {forms} phiếu và {records} bản ghi.</translation>
    </message>
    <message>
        <source>The dossier {file} is damaged or was changed after it was made: its contents can no longer be trusted.</source>
        <translation>Hồ sơ {file} bị hỏng hoặc đã bị sửa sau khi lập: nội dung không còn tin cậy được.</translation>
    </message>
    <message>
        <source>The dossier {file} is intact, but the data changed after it was made: it no longer agrees with this database.</source>
        <translation>Hồ sơ {file} còn nguyên vẹn, nhưng dữ liệu đã thay đổi sau khi lập hồ sơ: hồ sơ không còn khớp với cơ sở dữ liệu này.</translation>
    </message>
    <message>
        <source>{count} of the records carry no signature (they were stored without one); they were compared with the database only.</source>
        <translation>{count} bản ghi không có chữ ký (được lưu khi chưa ký); các bản ghi này chỉ được đối chiếu với cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>The file is not a dossier archive ({detail}).</source>
        <translation>Tệp không phải là hồ sơ điện tử ({detail}).</translation>
    </message>
    <message>
        <source>The list of contents (manifest.json) is missing or unreadable ({detail}).</source>
        <translation>Thiếu hoặc không đọc được danh mục nội dung (manifest.json) ({detail}).</translation>
    </message>
    <message>
        <source>A listed file is missing: {detail}.</source>
        <translation>Thiếu một tệp có trong danh mục: {detail}.</translation>
    </message>
    <message>
        <source>A file that is not in the list was added: {detail}.</source>
        <translation>Có tệp được thêm vào, không có trong danh mục: {detail}.</translation>
    </message>
    <message>
        <source>A file was changed after the dossier was made: {detail}.</source>
        <translation>Có tệp bị sửa sau khi lập hồ sơ: {detail}.</translation>
    </message>
    <message>
        <source>A signature does not match its record: {detail}.</source>
        <translation>Chữ ký không khớp với bản ghi: {detail}.</translation>
    </message>
    <message>
        <source>The figures of a form changed since it was printed: {detail}.</source>
        <translation>Số liệu của phiếu đã thay đổi từ khi in: {detail}.</translation>
    </message>
    <message>
        <source>A form refers to something this database does not hold: {detail}.</source>
        <translation>Phiếu dẫn đến dữ liệu không có trong cơ sở dữ liệu này: {detail}.</translation>
    </message>
    <message>
        <source>A record is no longer stored as in the dossier: {detail}.</source>
        <translation>Bản ghi không còn được lưu như trong hồ sơ: {detail}.</translation>
    </message>
    <message>
        <source>A record of the year is not in the dossier: {detail}.</source>
        <translation>Có bản ghi của năm chưa có trong hồ sơ: {detail}.</translation>
    </message>
    <message>
        <source>A record is signed with a key this database does not know for its author: {detail}.</source>
        <translation>Bản ghi được ký bằng khóa mà cơ sở dữ liệu này không biết là của người lập: {detail}.</translation>
    </message>
    <message>
        <source>The person of the dossier is not in this database: {detail}.</source>
        <translation>Công chức của hồ sơ không có trong cơ sở dữ liệu này: {detail}.</translation>
    </message>
    <message>
        <source>Electronic evaluation dossier</source>
        <translation>Hồ sơ đánh giá điện tử</translation>
    </message>
    <message>
        <source>not a zip archive</source>
        <translation>không phải tệp nén zip</translation>
    </message>
    <message>
        <source>ELECTRONIC EVALUATION DOSSIER</source>
        <translation>HỒ SƠ ĐÁNH GIÁ ĐIỆN TỬ</translation>
    </message>
    <message>
        <source>(Article 24 of Decree 335/2025/NĐ-CP)</source>
        <translation>(Điều 24 Nghị định số 335/2025/NĐ-CP)</translation>
    </message>
    <message>
        <source>Organisation: {name}</source>
        <translation>Cơ quan: {name}</translation>
    </message>
    <message>
        <source>Civil servant: {name} ({id})</source>
        <translation>Công chức: {name} ({id})</translation>
    </message>
    <message>
        <source>Work unit: {unit}</source>
        <translation>Đơn vị công tác: {unit}</translation>
    </message>
    <message>
        <source>Year: {year}</source>
        <translation>Năm: {year}</translation>
    </message>
    <message>
        <source>Made on: {time} (KPI Desktop {version})</source>
        <translation>Lập lúc: {time} (KPI Desktop {version})</translation>
    </message>
    <message>
        <source>Form No. 01, monitoring and evaluation form</source>
        <translation>Mẫu số 01, Phiếu theo dõi, đánh giá công chức</translation>
    </message>
    <message>
        <source>Form No. 02, quality classification form</source>
        <translation>Mẫu số 02, Phiếu xếp loại chất lượng công chức</translation>
    </message>
    <message>
        <source>Appeal and its decision</source>
        <translation>Kiến nghị và kết quả giải quyết</translation>
    </message>
    <message>
        <source>Discipline decisions and the year-end decision</source>
        <translation>Quyết định kỷ luật và quyết định xếp loại cuối năm</translation>
    </message>
    <message>
        <source>Signed records the figures derive from</source>
        <translation>Các bản ghi có chữ ký làm căn cứ số liệu</translation>
    </message>
    <message>
        <source>verification code {code}</source>
        <translation>mã kiểm tra {code}</translation>
    </message>
    <message>
        <source>Check this dossier: kpi-desktop verify FILE.zip</source>
        <translation>Kiểm tra hồ sơ này: kpi-desktop verify TỆP.zip</translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message>
        <source>{m} min</source>
        <translation>{m} phút</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min</source>
        <translation>{h} giờ {m:02d} phút</translation>
    </message>
</context>
<context>
    <name>Enrolment</name>
    <message>
        <source>Choose the USB stick for the enrolment request</source>
        <translation>Chọn USB để lưu yêu cầu đăng ký khóa</translation>
    </message>
</context>
<context>
    <name>EnrolmentPage</name>
    <message>
        <source>The request was not saved: {reason}</source>
        <translation>Chưa lưu được đề nghị: {reason}</translation>
    </message>
    <message>
        <source>Your key is made: the agency must publish it</source>
        <translation>Khóa đã được tạo: cơ quan cần công bố khóa</translation>
    </message>
    <message>
        <source>Until then your leader&apos;s PC cannot check what you sign.</source>
        <translation>Trước khi khóa được công bố, máy của lãnh đạo chưa kiểm tra được chữ ký của đồng chí.</translation>
    </message>
    <message>
        <source>The key of {name} (fingerprint {fingerprint}) is already published by this PC.</source>
        <translation>Khóa của {name} (dấu vân tay {fingerprint}) đã được máy này công bố.</translation>
    </message>
    <message>
        <source>The key of {name} is made (fingerprint {fingerprint}). Save the enrolment request on a USB stick and take it to the agency&apos;s personnel unit, which publishes the key with the next organisation file.</source>
        <translation>Đã tạo khóa của {name} (dấu vân tay {fingerprint}). Lưu yêu cầu đăng ký khóa vào USB rồi mang đến bộ phận tổ chức cán bộ; khóa sẽ được công bố trong tệp tổ chức tiếp theo.</translation>
    </message>
    <message>
        <source>Save the request to &amp;USB…</source>
        <translation>Lưu đề nghị vào &amp;USB…</translation>
    </message>
    <message>
        <source>The enrolment request of {name} is saved as {path}. Take it to the agency.</source>
        <translation>Đã lưu yêu cầu đăng ký khóa của {name} vào {path}. Đồng chí mang tệp này đến bộ phận tổ chức cán bộ.</translation>
    </message>
</context>
<context>
    <name>Entries</name>
    <message>
        <source>Belongs to the assigned task {code} (done {done}/{quantity}, due {due})</source>
        <translation>Thuộc nhiệm vụ được giao {code} (đã làm {done}/{quantity}, hạn {due})</translation>
    </message>
    <message>
        <source>{day}/{month}</source>
        <translation>{day}/{month}</translation>
    </message>
    <message>
        <source>Work taken over from a colleague (outside the plan)</source>
        <translation>Nhiệm vụ tiếp nhận thêm từ công chức khác (ngoài kế hoạch)</translation>
    </message>
    <message>
        <source>Ad hoc work (outside the plan)</source>
        <translation>Nhiệm vụ phát sinh (ngoài kế hoạch)</translation>
    </message>
</context>
<context>
    <name>EntryEditor</name>
    <message>
        <source>Catalog &amp;item:</source>
        <translation>Sản phẩm/công &amp;việc:</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>&amp;Số lượng:</translation>
    </message>
    <message>
        <source>Output &amp;product:</source>
        <translation>Sản phẩm đầu r&amp;a:</translation>
    </message>
    <message>
        <source>Evidence file:</source>
        <translation>Tệp minh chứng:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Trạng thái:</translation>
    </message>
    <message>
        <source>e.g. 125/UBND-VP</source>
        <translation>ví dụ 125/UBND-VP</translation>
    </message>
    <message>
        <source>Short description of the result</source>
        <translation>Mô tả ngắn kết quả</translation>
    </message>
    <message>
        <source>How many products, in the catalog item&apos;s unit</source>
        <translation>Bao nhiêu sản phẩm, theo đơn vị tính của sản phẩm/công việc</translation>
    </message>
    <message>
        <source>&amp;Reason for change:</source>
        <translation>Lý &amp;do chỉnh sửa:</translation>
    </message>
    <message>
        <source>Required when you resubmit a returned entry</source>
        <translation>Bắt buộc khi gửi lại một mục bị trả lại</translation>
    </message>
    <message>
        <source>F&amp;ulfils:</source>
        <translation>Thuộ&amp;c nhiệm vụ:</translation>
    </message>
    <message>
        <source>W&amp;ork date:</source>
        <translation>Ngày &amp;làm:</translation>
    </message>
    <message>
        <source>Document nu&amp;mber:</source>
        <translation>Số văn &amp;bản:</translation>
    </message>
    <message>
        <source>De&amp;adline:</source>
        <translation>T&amp;hời hạn:</translation>
    </message>
    <message>
        <source>&amp;Completed on:</source>
        <translation>H&amp;oàn thành ngày:</translation>
    </message>
    <message>
        <source>Attach fil&amp;e…</source>
        <translation>Đính &amp;kèm tệp…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>Remove the attached file</source>
        <translation>Bỏ tệp đã đính kèm</translation>
    </message>
    <message>
        <source>The entry has a deadline</source>
        <translation>Công việc có thời hạn</translation>
    </message>
    <message>
        <source>The work is completed</source>
        <translation>Công việc đã hoàn thành</translation>
    </message>
    <message>
        <source>&amp;New entry</source>
        <translation>Mục mới</translation>
    </message>
    <message>
        <source>Start a new entry (Ctrl+N)</source>
        <translation>Bắt đầu một mục mới (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Save draft</source>
        <translation>Lư&amp;u nháp</translation>
    </message>
    <message>
        <source>Save now (Ctrl+S); drafts also save themselves</source>
        <translation>Lưu ngay (Ctrl+S); bản nháp cũng tự động được lưu</translation>
    </message>
    <message>
        <source>Su&amp;bmit</source>
        <translation>&amp;Gửi</translation>
    </message>
    <message>
        <source>Submit to the leader (Ctrl+Enter); a submitted entry can no longer be changed</source>
        <translation>Gửi lãnh đạo (Ctrl+Enter); mục đã gửi không thể sửa nữa</translation>
    </message>
    <message>
        <source>&amp;Delete draft</source>
        <translation>&amp;Xóa bản nháp</translation>
    </message>
    <message>
        <source>Ad hoc work (not assigned)</source>
        <translation>Nhiệm vụ phát sinh (ngoài kế hoạch)</translation>
    </message>
    <message>
        <source>Work taken over from a colleague</source>
        <translation>Nhiệm vụ tiếp nhận thêm từ đồng nghiệp</translation>
    </message>
    <message>
        <source>Assigned: {code} {name} — {done}/{qty}, due {deadline}</source>
        <translation>Được giao: {code} {name} — {done}/{qty}, hạn {deadline}</translation>
    </message>
    <message>
        <source>New entry</source>
        <translation>Mục mới</translation>
    </message>
    <message>
        <source>new — saved as a draft as soon as it is complete</source>
        <translation>mới — tự lưu thành bản nháp khi điền đủ</translation>
    </message>
    <message>
        <source>Entry of {date}</source>
        <translation>Mục ngày {date}</translation>
    </message>
    <message>
        <source>returned by the leader: {reason} — correct it and submit again with a reason</source>
        <translation>bị lãnh đạo trả lại: {reason} — hãy sửa và gửi lại kèm lý do</translation>
    </message>
    <message>
        <source>submitted (revision {n}) — {where}</source>
        <translation>đã nộp (lần {n}) — {where}</translation>
    </message>
    <message>
        <source>Changes to {code} saved; submit again with a reason.</source>
        <translation>Đã lưu thay đổi của {code}; hãy gửi lại kèm lý do.</translation>
    </message>
    <message>
        <source>Draft {code} saved.</source>
        <translation>Đã lưu bản nháp {code}.</translation>
    </message>
    <message>
        <source>{code} submitted — {where}.</source>
        <translation>Đã nộp {code} — {where}.</translation>
    </message>
    <message>
        <source>{code} submitted for {leader} — {where}.</source>
        <translation>Đã nộp {code} để {leader} xác nhận — {where}.</translation>
    </message>
    <message>
        <source>confirmed by the leader — read-only</source>
        <translation>đã được lãnh đạo xác nhận — chỉ xem</translation>
    </message>
    <message>
        <source>draft — saved on this computer, not yet submitted</source>
        <translation>bản nháp — đã lưu trên máy này, chưa gửi</translation>
    </message>
    <message>
        <source>Not an assigned task: it counts as ad hoc work, outside the assigned total.</source>
        <translation>Không thuộc nhiệm vụ được giao: tính là nhiệm vụ phát sinh, ngoài tổng khối lượng được giao.</translation>
    </message>
    <message>
        <source>Counts for the assigned task {code} (done {done}/{quantity}, due {deadline})</source>
        <translation>Thuộc nhiệm vụ được giao {code} (đã làm {done}/{quantity}, hạn {deadline})</translation>
    </message>
    <message>
        <source>{code} removed from the frequent tasks of {name}.</source>
        <translation>Đã bỏ {code} khỏi việc hay làm của {name}.</translation>
    </message>
    <message>
        <source>{code} added to the frequent tasks of {name}: one click above the form logs it.</source>
        <translation>Đã thêm {code} vào việc hay làm của {name}: bấm một lần ở phía trên biểu mẫu để ghi nhật ký.</translation>
    </message>
    <message>
        <source>Draft {code} started from the frequent tasks: check the quantity and the output, then submit.</source>
        <translation>Đã tạo bản nháp {code} từ việc hay làm: kiểm tra số lượng và sản phẩm đầu ra rồi gửi.</translation>
    </message>
    <message>
        <source>Attach evidence</source>
        <translation>Đính kèm minh chứng</translation>
    </message>
    <message>
        <source>Check the quantity</source>
        <translation>Kiểm tra số lượng</translation>
    </message>
    <message>
        <source>{count} × “{item}” is more than one day can hold (at most {maximum} by its time norm). Is the quantity right?</source>
        <translation>{count} × “{item}” vượt quá khối lượng của một ngày (tối đa {maximum} theo định mức thời gian). Số lượng này có đúng không?</translation>
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
    <name>EntryStatusModel</name>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Product / work</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Leader&apos;s remarks</source>
        <translation>Ý kiến của lãnh đạo</translation>
    </message>
    <message>
        <source>returned: {reason}</source>
        <translation>trả lại: {reason}</translation>
    </message>
    <message>
        <source>failed review ×{n}</source>
        <translation>sai sót lớn ×{n}</translation>
    </message>
    <message>
        <source>late ×{n}</source>
        <translation>chậm tiến độ ×{n}</translation>
    </message>
    <message>
        <source>ad hoc</source>
        <translation>phát sinh</translation>
    </message>
</context>
<context>
    <name>EntryTable</name>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Product / work</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Sản phẩm đầu ra</translation>
    </message>
    <message>
        <source>Norm (h)</source>
        <translation>Định mức (giờ)</translation>
    </message>
    <message>
        <source>Credited (h)</source>
        <translation>Được tính (giờ)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>{name} (ad hoc)</source>
        <translation>{name} (phát sinh)</translation>
    </message>
    <message>
        <source>{status} (revision {n})</source>
        <translation>{status} (lần {n})</translation>
    </message>
    <message>
        <source>Returned by the leader: {reason}</source>
        <translation>Lãnh đạo trả lại: {reason}</translation>
    </message>
    <message>
        <source>Time norm {norm}, credited {credited}</source>
        <translation>Định mức {norm}, được tính {credited}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>No {kind} with the identifier “{id}”.</source>
        <translation>Không tìm thấy {kind} có mã “{id}”.</translation>
    </message>
    <message>
        <source>At most {maximum} favourites: remove one first (right-click it).</source>
        <translation>Tối đa {maximum} việc hay làm: hãy bỏ bớt một việc trước (bấm chuột phải vào việc đó).</translation>
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
        <translation>Các tiêu chí d, đ, e của lãnh đạo chỉ nhận 100% hoặc 50% (đã nhập {value}).</translation>
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
        <source>The database is damaged: {detail}</source>
        <translation>Cơ sở dữ liệu bị hỏng: {detail}</translation>
    </message>
    <message>
        <source>SQLite cannot read it</source>
        <translation>SQLite không đọc được tệp</translation>
    </message>
    <message>
        <source>The newest backup that passed its check is {path}; restore it with “kpi-desktop backup --restore {path}”.</source>
        <translation>Bản sao lưu mới nhất đã qua kiểm tra là {path}; khôi phục bằng lệnh “kpi-desktop backup --restore {path}”.</translation>
    </message>
    <message>
        <source>No backup passed its check.</source>
        <translation>Không có bản sao lưu nào qua được kiểm tra.</translation>
    </message>
    <message>
        <source>The disk is full: {free} free in {path}, at least {needed} needed. Free some space and try again; nothing was saved.</source>
        <translation>Ổ đĩa đã đầy: {path} chỉ còn trống {free}, cần ít nhất {needed}. Hãy giải phóng bớt dung lượng rồi thử lại; chưa có gì được lưu.</translation>
    </message>
    <message>
        <source>The disk is full: free some space and try again; nothing was saved.</source>
        <translation>Ổ đĩa đã đầy: hãy giải phóng dung lượng rồi thử lại; chưa có gì được lưu.</translation>
    </message>
    <message>
        <source>The data folder {path} cannot be written (it is read-only or you may not change it). KPI Desktop needs to write there: choose a folder you can write with --data-dir, or ask IT staff for access.</source>
        <translation>Không ghi được vào thư mục dữ liệu {path} (thư mục chỉ đọc hoặc không có quyền ghi). KPI Desktop cần ghi vào thư mục này: hãy chọn thư mục có quyền ghi bằng --data-dir, hoặc đề nghị cán bộ tin học cấp quyền.</translation>
    </message>
    <message>
        <source>There is no backup {path}.</source>
        <translation>Không có bản sao lưu {path}.</translation>
    </message>
    <message>
        <source>The backup {path} holds no organisation (it was made before the first setup) and is not offered for restoring.</source>
        <translation>Bản sao lưu {path} chưa có dữ liệu cơ quan (được tạo trước lần thiết lập đầu tiên) nên không dùng để khôi phục.</translation>
    </message>
    <message>
        <source>The backup {path} could not be written: {detail}</source>
        <translation>Không ghi được bản sao lưu {path}: {detail}</translation>
    </message>
    <message>
        <source>Restoring replaces the data on this computer; nothing was changed. Add --yes to confirm.</source>
        <translation>Khôi phục sẽ thay dữ liệu trên máy này; chưa có gì thay đổi. Thêm --yes để xác nhận.</translation>
    </message>
    <message>
        <source>The database file cannot be written (read-only).</source>
        <translation>Không ghi được vào tệp cơ sở dữ liệu (chỉ đọc).</translation>
    </message>
    <message>
        <source>The file {path} cannot be read, so it was not attached.</source>
        <translation>Không đọc được tệp {path} nên chưa đính kèm.</translation>
    </message>
    <message>
        <source>The self-score of criterion {code} must be between 0 and {maximum} (got {value}).</source>
        <translation>Điểm tự chấm của tiêu chí {code} phải từ 0 đến {maximum} (đã nhập {value}).</translation>
    </message>
    <message>
        <source>Give a self-score for criterion {code} before submitting the month.</source>
        <translation>Hãy tự chấm điểm tiêu chí {code} trước khi gửi tháng.</translation>
    </message>
    <message>
        <source>There is no general criterion {code}.</source>
        <translation>Không có tiêu chí chung {code}.</translation>
    </message>
    <message>
        <source>The month {period} has already been submitted and can no longer be changed.</source>
        <translation>Kỳ {period} đã được gửi, không thể sửa nữa.</translation>
    </message>
    <message>
        <source>Nobody may confirm, evaluate or classify their own work.</source>
        <translation>Không ai được tự xác nhận, đánh giá hoặc xếp loại kết quả của chính mình.</translation>
    </message>
    <message>
        <source>Only the evaluator of {person} (or an acting evaluator) may do this.</source>
        <translation>Chỉ người đánh giá {person} (hoặc người đánh giá thay) mới được thực hiện việc này.</translation>
    </message>
    <message>
        <source>Please give a reason.</source>
        <translation>Vui lòng nêu lý do.</translation>
    </message>
    <message>
        <source>This decision has already been exported (it left this PC with the last bundle) and can no longer be undone; record a new decision instead.</source>
        <translation>Quyết định này đã được xuất (đã rời máy tính này trong gói dữ liệu gần nhất) nên không thể hoàn tác; hãy ghi một quyết định mới.</translation>
    </message>
    <message>
        <source>Only the leader who recorded a decision can undo it.</source>
        <translation>Chỉ lãnh đạo đã ghi quyết định mới có thể hoàn tác quyết định đó.</translation>
    </message>
    <message>
        <source>The author has already changed this entry since; the decision can no longer be undone.</source>
        <translation>Người ghi nhật ký đã sửa mục này sau đó nên không thể hoàn tác quyết định.</translation>
    </message>
    <message>
        <source>This entry is {status}: only submitted entries can be reviewed.</source>
        <translation>Mục này đang ở trạng thái {status}: chỉ xác nhận được các mục đã gửi.</translation>
    </message>
    <message>
        <source>An objective cause of its delays is already recorded for this entry.</source>
        <translation>Mục này đã có nguyên nhân khách quan của việc chậm tiến độ.</translation>
    </message>
    <message>
        <source>An objective cause of its quality errors is already recorded for this entry.</source>
        <translation>Mục này đã có nguyên nhân khách quan của sai sót lớn về nội dung.</translation>
    </message>
    <message>
        <source>An objective cause is already recorded for this entry.</source>
        <translation>Mục này đã được ghi nguyên nhân khách quan.</translation>
    </message>
    <message>
        <source>Choose what the objective cause exempts: the quality errors, the delays or both.</source>
        <translation>Hãy chọn nguyên nhân khách quan miễn trừ điểm gì: sai sót lớn, việc chậm tiến độ hoặc cả hai.</translation>
    </message>
    <message>
        <source>The deadline {deadline} is before the start of the period {period}.</source>
        <translation>Thời hạn {deadline} sớm hơn ngày bắt đầu kỳ {period}.</translation>
    </message>
    <message>
        <source>Work was already logged against this assignment; it cannot be cancelled.</source>
        <translation>Đã có nhật ký công việc cho nhiệm vụ này nên không thể hủy.</translation>
    </message>
    <message>
        <source>The points of criterion {code} must be between 0 and {maximum} (got {value}).</source>
        <translation>Điểm của tiêu chí {code} phải từ 0 đến {maximum} (đã nhập {value}).</translation>
    </message>
    <message>
        <source>Give points for criterion {code}.</source>
        <translation>Hãy cho điểm tiêu chí {code}.</translation>
    </message>
    <message>
        <source>{person} has not submitted a self-assessment for {period}: enter the points of each criterion yourself.</source>
        <translation>{person} chưa gửi phiếu tự đánh giá kỳ {period}: hãy tự nhập điểm từng tiêu chí.</translation>
    </message>
    <message>
        <source>You changed the self-assessed points: add a comment explaining why.</source>
        <translation>Đồng chí đã thay đổi điểm tự chấm: hãy ghi nhận xét nêu lý do.</translation>
    </message>
    <message>
        <source>The factors đ and e apply only to heads and deputy heads.</source>
        <translation>Tiêu chí đ và e chỉ áp dụng cho người đứng đầu và cấp phó.</translation>
    </message>
    <message>
        <source>The month {period} of {person} is not locked.</source>
        <translation>Kỳ {period} của {person} chưa khóa.</translation>
    </message>
    <message>
        <source>The period {period} has not started yet.</source>
        <translation>Kỳ {period} chưa bắt đầu.</translation>
    </message>
    <message>
        <source>Choose a classification level.</source>
        <translation>Hãy chọn mức xếp loại.</translation>
    </message>
    <message>
        <source>“{value}” is not a kind of discipline.</source>
        <translation>“{value}” không phải là một hình thức kỷ luật.</translation>
    </message>
    <message>
        <source>This year already has a decision: record a replacement decision instead.</source>
        <translation>Năm này đã có quyết định xếp loại: hãy ghi quyết định thay thế.</translation>
    </message>
    <message>
        <source>There is no decision to replace yet.</source>
        <translation>Chưa có quyết định nào để thay thế.</translation>
    </message>
    <message>
        <source>This decision was already replaced by a later one.</source>
        <translation>Quyết định này đã được thay thế bằng một quyết định sau.</translation>
    </message>
    <message>
        <source>This person is not classified this year (fewer than 6 months worked).</source>
        <translation>Người này không xếp loại năm nay (thời gian công tác chưa đủ 06 tháng).</translation>
    </message>
    <message>
        <source>A disciplined person is rated Unsatisfactory whatever the score.</source>
        <translation>Người bị kỷ luật được xếp loại Không hoàn thành nhiệm vụ bất kể số điểm.</translation>
    </message>
    <message>
        <source>The level cannot be higher than the level the scores give.</source>
        <translation>Mức xếp loại không được cao hơn mức tương ứng với điểm.</translation>
    </message>
    <message>
        <source>The end date {end} is before the start date {start}.</source>
        <translation>Ngày kết thúc {end} sớm hơn ngày bắt đầu {start}.</translation>
    </message>
    <message>
        <source>There is nobody to delegate: you evaluate nobody on that day.</source>
        <translation>Không có ai để ủy quyền: ngày đó đồng chí không đánh giá ai.</translation>
    </message>
    <message>
        <source>The file {path} cannot be written: check the folder exists and is writable.</source>
        <translation>Không thể ghi tệp {path}: hãy kiểm tra thư mục có tồn tại và được phép ghi.</translation>
    </message>
    <message>
        <source>“{value}” is not an export format: use csv, xlsx or json.</source>
        <translation>“{value}” không phải là định dạng xuất: dùng csv, xlsx hoặc json.</translation>
    </message>
    <message>
        <source>The report was cancelled; nothing was written.</source>
        <translation>Đã hủy lập báo cáo; không có tệp nào được ghi.</translation>
    </message>
    <message>
        <source>The data was written by a newer version of KPI Desktop: please update.</source>
        <translation>Dữ liệu được tạo bởi phiên bản KPI Desktop mới hơn: vui lòng cập nhật ứng dụng.</translation>
    </message>
    <message>
        <source>The backup {path} is damaged and cannot be restored.</source>
        <translation>Bản sao lưu {path} bị hỏng, không thể khôi phục.</translation>
    </message>
    <message>
        <source>There is no backup file {path}: choose one from the list (kpi-desktop backup --list).</source>
        <translation>Không tìm thấy tệp sao lưu {path}: hãy chọn một tệp trong danh sách (kpi-desktop backup --list).</translation>
    </message>
    <message>
        <source>There is no database at {path}.</source>
        <translation>Không có cơ sở dữ liệu tại {path}.</translation>
    </message>
    <message>
        <source>the file is not JSON text</source>
        <translation>tệp không phải văn bản JSON</translation>
    </message>
    <message>
        <source>the format “{value}” is not a scoring policy</source>
        <translation>định dạng “{value}” không phải quy tắc chấm điểm</translation>
    </message>
    <message>
        <source>it has entries this version does not know: {keys}</source>
        <translation>có mục mà phiên bản này không biết: {keys}</translation>
    </message>
    <message>
        <source>entries are missing: {keys}</source>
        <translation>còn thiếu các mục: {keys}</translation>
    </message>
    <message>
        <source>the version “{value}” is not well formed</source>
        <translation>phiên bản “{value}” không đúng dạng</translation>
    </message>
    <message>
        <source>the value “{value}” of “{field}” is not allowed</source>
        <translation>giá trị “{value}” của “{field}” không hợp lệ</translation>
    </message>
    <message>
        <source>the value was refused ({code})</source>
        <translation>giá trị bị từ chối ({code})</translation>
    </message>
    <message>
        <source>a month as 9/2026 or 2026-09</source>
        <translation>tháng: 9/2026 hoặc 2026-09</translation>
    </message>
    <message>
        <source>a quarter as 2026-Q3</source>
        <translation>quý: 2026-Q3</translation>
    </message>
    <message>
        <source>a half year as 2026-H1</source>
        <translation>6 tháng: 2026-H1</translation>
    </message>
    <message>
        <source>a year as 2026</source>
        <translation>năm: 2026</translation>
    </message>
    <message>
        <source>“{value}” is not a period. Write {forms}.</source>
        <translation>“{value}” không phải là kỳ đánh giá. Cách ghi: {forms}.</translation>
    </message>
    <message>
        <source>The value was refused ({code}).</source>
        <translation>Giá trị bị từ chối ({code}).</translation>
    </message>
    <message>
        <source>the file or folder does not exist</source>
        <translation>tệp hoặc thư mục không tồn tại</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>không có quyền truy cập</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>ổ đĩa đã đầy</translation>
    </message>
    <message>
        <source>this is a folder, not a file</source>
        <translation>đây là thư mục, không phải tệp</translation>
    </message>
    <message>
        <source>a part of the path is not a folder</source>
        <translation>một phần của đường dẫn không phải là thư mục</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>ổ đĩa chỉ cho phép đọc</translation>
    </message>
    <message>
        <source>the disk could not be read or written</source>
        <translation>không đọc hoặc ghi được ổ đĩa</translation>
    </message>
    <message>
        <source>system error {code}</source>
        <translation>lỗi hệ thống {code}</translation>
    </message>
    <message>
        <source>A record in the bundle ({record}) is signed with the key {key}, which was revoked on {revoked}, and is dated on or after that day. Nothing was imported; the sender is told that this record was refused.</source>
        <translation>Một bản ghi trong gói dữ liệu ({record}) được ký bằng khóa {key}, khóa này đã bị thu hồi ngày {revoked}, mà bản ghi lại mang ngày từ hôm đó trở về sau. Chưa nhập gì; người gửi sẽ được báo rằng bản ghi này bị từ chối.</translation>
    </message>
    <message>
        <source>{sender} already sent a different bundle with number {seq}: a copied PC, or one restored from an old backup, may be signing in their name. This bundle is held, not imported, until someone checks it and releases or discards it (kpi-desktop sync status).</source>
        <translation>{sender} đã gửi một gói dữ liệu khác mang số {seq}: có thể một máy được sao chép, hoặc một máy khôi phục từ bản sao lưu cũ, đang ký thay người này. Gói này được giữ lại, chưa nhập, cho đến khi có người kiểm tra rồi cho nhập hoặc loại bỏ (kpi-desktop sync status).</translation>
    </message>
    <message>
        <source>The bundle file is damaged or incomplete (perhaps the USB stick was removed while copying): nothing was imported. Ask the sender to export it again.</source>
        <translation>Tệp gói dữ liệu bị hỏng hoặc không đầy đủ (có thể USB bị rút ra khi đang chép): không nhập gì. Hãy đề nghị người gửi xuất lại.</translation>
    </message>
    <message>
        <source>The bundle was changed after it was signed ({file}): nothing was imported. Ask the sender to export it again.</source>
        <translation>Gói dữ liệu bị sửa đổi sau khi ký ({file}): không nhập gì. Hãy đề nghị người gửi xuất lại.</translation>
    </message>
    <message>
        <source>The bundle&apos;s signature does not match: it was altered or forged. Nothing was imported; ask the sender to export it again.</source>
        <translation>Chữ ký của gói dữ liệu không khớp: gói đã bị sửa đổi hoặc giả mạo. Không nhập gì; hãy đề nghị người gửi xuất lại.</translation>
    </message>
    <message>
        <source>The bundle is signed by a key this PC does not know ({key}). Nothing was imported; import the agency&apos;s latest organisation file first.</source>
        <translation>Gói dữ liệu được ký bằng một khóa mà máy này không biết ({key}). Không nhập gì; hãy nhập tệp tổ chức mới nhất của cơ quan trước.</translation>
    </message>
    <message>
        <source>The bundle is signed by a revoked key ({key}). Nothing was imported; the sender needs a new key from the agency.</source>
        <translation>Gói dữ liệu được ký bằng một khóa đã bị thu hồi ({key}). Không nhập gì; người gửi cần được cơ quan cấp khóa mới.</translation>
    </message>
    <message>
        <source>The signer is not allowed to make this ({kind}); for example, only a person&apos;s evaluator may confirm their work. Nothing was imported.</source>
        <translation>Người ký không có quyền thực hiện việc này ({kind}); ví dụ, chỉ người đánh giá mới được xác nhận công việc của công chức. Không nhập gì.</translation>
    </message>
    <message>
        <source>This bundle is addressed to {recipient}, whose key is not on this PC or is not the one it was made for. Nothing was imported.</source>
        <translation>Gói dữ liệu này gửi cho {recipient}, nhưng khóa của người này không có trên máy này hoặc không phải khóa được dùng khi lập gói. Không nhập gì.</translation>
    </message>
    <message>
        <source>This bundle belongs to another organisation ({organisation}). Nothing was imported.</source>
        <translation>Gói dữ liệu này thuộc tổ chức khác ({organisation}). Không nhập gì.</translation>
    </message>
    <message>
        <source>This organisation file is version {version}, older than version {current} already in use. Nothing was changed.</source>
        <translation>Tệp tổ chức này là phiên bản {version}, cũ hơn phiên bản {current} đang dùng. Không thay đổi gì.</translation>
    </message>
    <message>
        <source>This organisation file claims version {version}, which is already in use with different content. Nothing was changed; ask the agency.</source>
        <translation>Tệp tổ chức này ghi phiên bản {version}, nhưng phiên bản đó đang dùng với nội dung khác. Không thay đổi gì; hãy hỏi cơ quan.</translation>
    </message>
    <message>
        <source>The bundle was made by a newer version of KPI Desktop (format {version}). Nothing was imported; please update the software.</source>
        <translation>Gói dữ liệu được lập bằng phiên bản KPI Desktop mới hơn (định dạng {version}). Không nhập gì; cần cập nhật phần mềm.</translation>
    </message>
    <message>
        <source>The bundle contains an unsafe or unexpected file name ({path}). Nothing was imported.</source>
        <translation>Gói dữ liệu chứa tên tệp không an toàn hoặc không hợp lệ ({path}). Không nhập gì.</translation>
    </message>
    <message>
        <source>The bundle is too large or unusually compressed ({detail}). Nothing was imported.</source>
        <translation>Gói dữ liệu quá lớn hoặc bị nén bất thường ({detail}). Không nhập gì.</translation>
    </message>
    <message>
        <source>The bundle&apos;s content is not valid ({file}: {detail}). Nothing was imported; ask the sender to export it again.</source>
        <translation>Nội dung gói dữ liệu không hợp lệ ({file}: {detail}). Không nhập gì; hãy đề nghị người gửi xuất lại.</translation>
    </message>
    <message>
        <source>A different bundle with the same identifier {bundle} was imported before. Nothing was imported; report this to the agency.</source>
        <translation>Trước đây đã nhập một gói dữ liệu khác có cùng mã {bundle}. Không nhập gì; hãy báo cho cơ quan.</translation>
    </message>
    <message>
        <source>A record in the bundle is not signed ({record}). Nothing was imported.</source>
        <translation>Một bản ghi trong gói dữ liệu chưa được ký ({record}). Không nhập gì.</translation>
    </message>
    <message>
        <source>A record in the bundle has an invalid signature ({record}): it was altered. Nothing was imported.</source>
        <translation>Một bản ghi trong gói dữ liệu có chữ ký không hợp lệ ({record}): bản ghi đã bị sửa đổi. Không nhập gì.</translation>
    </message>
    <message>
        <source>A record in the bundle differs from the same record already here ({record}). Nothing was imported; report this to the agency.</source>
        <translation>Một bản ghi trong gói dữ liệu khác với bản ghi cùng mã đã có trên máy ({record}). Không nhập gì; hãy báo cho cơ quan.</translation>
    </message>
    <message>
        <source>This file is signed by the agency&apos;s previous key ({key}), which the agency replaced by the key {current}. Nothing was imported; ask the agency for its latest organisation file.</source>
        <translation>Tệp này được ký bằng khóa cũ của cơ quan ({key}); cơ quan đã thay khóa đó bằng khóa {current}. Chưa nhập gì; hãy xin cơ quan tệp tổ chức mới nhất.</translation>
    </message>
    <message>
        <source>The organisation file is signed by the key {key}, not by the key {expected} you were given. Nothing was changed; check the fingerprint with the agency by phone.</source>
        <translation>Tệp tổ chức được ký bằng khóa {key}, không phải khóa {expected} đã được cơ quan thông báo. Dữ liệu không thay đổi; hãy gọi điện cho cơ quan để đối chiếu dấu vân tay.</translation>
    </message>
    <message>
        <source>The file {path} cannot be read: {detail}.</source>
        <translation>Không đọc được tệp {path}: {detail}.</translation>
    </message>
    <message>
        <source>{owner} already has a key on this PC.</source>
        <translation>{owner} đã có khóa trên máy này.</translation>
    </message>
    <message>
        <source>There is no key for {owner} on this PC: create one first.</source>
        <translation>Máy này chưa có khóa của {owner}: hãy tạo khóa trước.</translation>
    </message>
    <message>
        <source>The key of {owner} is locked: sign in with the passphrase first.</source>
        <translation>Khóa của {owner} đang bị khóa: hãy đăng nhập bằng mật khẩu trước.</translation>
    </message>
    <message>
        <source>The key of {owner} is not published by the agency yet: send the enrolment request and import the next organisation file.</source>
        <translation>Khóa của {owner} chưa được cơ quan công bố: hãy gửi yêu cầu đăng ký khóa và nhập tệp tổ chức tiếp theo.</translation>
    </message>
    <message>
        <source>The passphrase is wrong.</source>
        <translation>Mật khẩu không đúng.</translation>
    </message>
    <message>
        <source>The passphrase must have at least {minimum} characters.</source>
        <translation>Mật khẩu phải có ít nhất {minimum} ký tự.</translation>
    </message>
    <message>
        <source>The stored key of {owner} is damaged; ask the agency to enrol a new key.</source>
        <translation>Khóa đã lưu của {owner} bị hỏng; hãy đề nghị cơ quan đăng ký khóa mới.</translation>
    </message>
    <message>
        <source>The enrolment request is damaged or not signed by its key.</source>
        <translation>Yêu cầu đăng ký khóa bị hỏng hoặc không được ký bằng chính khóa đó.</translation>
    </message>
    <message>
        <source>No organisation is set up on this PC: import the agency&apos;s organisation file first.</source>
        <translation>Máy này chưa thiết lập tổ chức: hãy nhập tệp tổ chức của cơ quan trước.</translation>
    </message>
    <message>
        <source>The bundle could not be written to {path}: {detail}.</source>
        <translation>Không ghi được gói dữ liệu vào {path}: {detail}.</translation>
    </message>
    <message>
        <source>The hub at {url} cannot be reached ({detail}); the bundles stay in the outbox. Try again later or use a USB stick.</source>
        <translation>Không kết nối được máy chủ tiếp nhận tại {url} ({detail}); các gói dữ liệu vẫn nằm trong hộp thư đi. Hãy thử lại sau hoặc dùng USB.</translation>
    </message>
    <message>
        <source>The hub refused the request: {detail}.</source>
        <translation>Máy chủ tiếp nhận từ chối yêu cầu: {detail}.</translation>
    </message>
    <message>
        <source>The hub cannot use the database {url}: give a SQLite file (sqlite:///FILE) or a PostgreSQL database (postgresql+psycopg://USER:PASSWORD@HOST/DATABASE, with the hub&apos;s extra installed).</source>
        <translation>Máy chủ tiếp nhận không dùng được cơ sở dữ liệu {url}: hãy chỉ định một tệp SQLite (sqlite:///TỆP) hoặc một cơ sở dữ liệu PostgreSQL (postgresql+psycopg://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY_CHỦ/CSDL, đã cài gói bổ sung [hub]).</translation>
    </message>
    <message>
        <source>The database server cannot be reached or refused the login ({detail}); check its address, the user name and the password.</source>
        <translation>Không kết nối được tới máy chủ cơ sở dữ liệu hoặc máy chủ từ chối đăng nhập ({detail}); hãy kiểm tra địa chỉ, tên người dùng và mật khẩu.</translation>
    </message>
    <message>
        <source>The scoring policy file is not valid: {reason}.</source>
        <translation>Tệp quy tắc chấm điểm không hợp lệ: {reason}.</translation>
    </message>
    <message>
        <source>The proposal needs the name of the product or task.</source>
        <translation>Đề xuất cần có tên sản phẩm/công việc.</translation>
    </message>
    <message>
        <source>The proposal needs a reason: say why the catalog should include it.</source>
        <translation>Đề xuất cần có lý do: nêu vì sao cần bổ sung vào danh mục.</translation>
    </message>
    <message>
        <source>“{value}” is not a complexity group: write N1, N2, N3, N4 or N5.</source>
        <translation>“{value}” không phải là nhóm mức độ phức tạp: hãy ghi N1, N2, N3, N4 hoặc N5.</translation>
    </message>
    <message>
        <source>“{value}” is not a number of points greater than zero.</source>
        <translation>“{value}” không phải là số điểm lớn hơn 0.</translation>
    </message>
    <message>
        <source>{points} points do not fit group {group} of the catalog: they must lie strictly within {range}.</source>
        <translation>{points} điểm không phù hợp với nhóm {group} của danh mục: số điểm phải nằm trong khoảng {range} (không tính hai đầu).</translation>
    </message>
    <message>
        <source>There is no active catalog yet: import the agency&apos;s catalog first.</source>
        <translation>Chưa có danh mục sản phẩm/công việc đang áp dụng: hãy nhập danh mục của cơ quan trước.</translation>
    </message>
    <message>
        <source>The proposal {id} was already decided ({status}).</source>
        <translation>Đề xuất {id} đã được xử lý ({status}).</translation>
    </message>
    <message>
        <source>Give the code of the new catalog item (for example HCC.99).</source>
        <translation>Hãy ghi mã của sản phẩm/công việc mới trong danh mục (ví dụ HCC.99).</translation>
    </message>
    <message>
        <source>The catalog already has an item with the code {code}; choose another code.</source>
        <translation>Danh mục đã có sản phẩm/công việc mang mã {code}; hãy chọn mã khác.</translation>
    </message>
    <message>
        <source>Write a note for the official: why the proposal is rejected.</source>
        <translation>Hãy ghi chú cho công chức: vì sao không chấp nhận đề xuất.</translation>
    </message>
    <message>
        <source>Give the date of the transfer decision: it is never taken from today.</source>
        <translation>Hãy nhập ngày của quyết định điều động: ngày này không bao giờ lấy theo ngày hôm nay.</translation>
    </message>
    <message>
        <source>The transfer date {date} is {days} days from today: check that it is the date of the decision, then confirm it.</source>
        <translation>Ngày điều động {date} cách hôm nay {days} ngày: hãy kiểm tra đúng là ngày của quyết định rồi xác nhận.</translation>
    </message>
    <message>
        <source>{person} already belongs to the unit {unit}: choose another unit.</source>
        <translation>{person} đã thuộc đơn vị {unit}: hãy chọn đơn vị khác.</translation>
    </message>
    <message>
        <source>The unit {unit} is closed (merged into {into}): choose an active unit.</source>
        <translation>Đơn vị {unit} đã giải thể (sáp nhập vào {into}): hãy chọn đơn vị đang hoạt động.</translation>
    </message>
    <message>
        <source>The date {date} is not after the start of the current membership of {person} ({start}): the transfer must start later.</source>
        <translation>Ngày {date} không sau ngày bắt đầu công tác hiện tại của {person} ({start}): việc điều động phải có hiệu lực muộn hơn.</translation>
    </message>
    <message>
        <source>The month {period} is already evaluated ({unit}): a transfer or merger can only start in a month that is not evaluated yet.</source>
        <translation>Kỳ {period} đã được đánh giá ({unit}): việc điều động hoặc sáp nhập chỉ có thể bắt đầu trong tháng chưa đánh giá.</translation>
    </message>
    <message>
        <source>{actor} may not record transfers or mergers: only the head of the agency or the personnel administrator may.</source>
        <translation>{actor} không có quyền ghi nhận điều động hoặc sáp nhập: chỉ người đứng đầu cơ quan hoặc người quản trị (bộ phận tổ chức cán bộ) mới được làm.</translation>
    </message>
    <message>
        <source>{successor} cannot take over the evaluations of {person}: name another active person.</source>
        <translation>{successor} không thể tiếp nhận việc đánh giá thay {person}: hãy chỉ định một người khác đang công tác.</translation>
    </message>
    <message>
        <source>The act ({date}) cannot be after the discipline decision ({decided}).</source>
        <translation>Ngày xảy ra hành vi vi phạm ({date}) không thể sau ngày ra quyết định kỷ luật ({decided}).</translation>
    </message>
    <message>
        <source>{person} evaluates other people and there is no head above to take them over: name the successor evaluator.</source>
        <translation>{person} đang đánh giá công chức khác và không có người đứng đầu cấp trên để tiếp nhận: hãy chỉ định người đánh giá kế nhiệm.</translation>
    </message>
    <message>
        <source>Name the units to merge and the unit they are merged into.</source>
        <translation>Hãy nêu các đơn vị được sáp nhập và đơn vị sau sáp nhập.</translation>
    </message>
    <message>
        <source>The unit {unit} cannot receive a merger of itself or of a unit above it.</source>
        <translation>Không thể sáp nhập đơn vị {unit} vào chính nó hoặc sáp nhập đơn vị cấp trên vào nó.</translation>
    </message>
    <message>
        <source>There is no unit {unit} yet: give the name of the new unit.</source>
        <translation>Chưa có đơn vị {unit}: hãy nhập tên đơn vị mới.</translation>
    </message>
    <message>
        <source>{person} has no locked month to send.</source>
        <translation>{person} chưa có tháng nào đã khóa để gửi.</translation>
    </message>
    <message>
        <source>This file is not a transfer of monthly results (it is a “{kind}” bundle).</source>
        <translation>Tệp này không phải kết quả hằng tháng chuyển công tác (đây là gói “{kind}”).</translation>
    </message>
    <message>
        <source>The transfer is signed by the key {actual}, not by the agency key you trust ({expected}): nothing was imported.</source>
        <translation>Tệp được ký bằng khóa {actual}, không phải khóa cơ quan đã được tin cậy trên máy này ({expected}): không có gì được nhập.</translation>
    </message>
    <message>
        <source>The person {person} of this transfer is not in this organisation: the agency must add them first.</source>
        <translation>Người {person} trong tệp chuyển không có trong tổ chức này: cơ quan cần bổ sung người này trước.</translation>
    </message>
    <message>
        <source>The month {period} of {person} is already here with other values: nothing was imported.</source>
        <translation>Kết quả {period} của {person} đã có ở đây với giá trị khác: không có gì được nhập.</translation>
    </message>
    <message>
        <source>The month {period} of {person} in the transfer is not valid ({detail}): nothing was imported.</source>
        <translation>Kết quả {period} của {person} trong tệp chuyển không hợp lệ ({detail}): không có gì được nhập.</translation>
    </message>
    <message>
        <source>This transfer was written by this agency itself: import it at the receiving agency.</source>
        <translation>Tệp này do chính cơ quan này xuất: hãy nhập tại cơ quan tiếp nhận.</translation>
    </message>
    <message>
        <source>An appeal needs a reason: say what you disagree with and why.</source>
        <translation>Kiến nghị cần có lý do: nêu nội dung không nhất trí và vì sao.</translation>
    </message>
    <message>
        <source>An appeal is against a month, a quarter or a year (not {period}).</source>
        <translation>Kiến nghị chỉ áp dụng cho kết quả tháng, quý hoặc năm (không áp dụng cho {period}).</translation>
    </message>
    <message>
        <source>The evaluation of {period} is not confirmed yet: an appeal is only possible against a notified result.</source>
        <translation>Kết quả đánh giá kỳ {period} chưa được xác nhận: chỉ kiến nghị được về kết quả đã thông báo.</translation>
    </message>
    <message>
        <source>The classification of {year} has not been decided yet: an appeal is only possible against a notified result.</source>
        <translation>Kết quả xếp loại chất lượng năm {year} chưa được quyết định: chỉ kiến nghị được về kết quả đã thông báo.</translation>
    </message>
    <message>
        <source>There is already an open appeal against {period}.</source>
        <translation>Đã có một kiến nghị về kỳ {period} đang chờ giải quyết.</translation>
    </message>
    <message>
        <source>Only the person who filed an appeal can withdraw it.</source>
        <translation>Chỉ người gửi kiến nghị mới rút được kiến nghị đó.</translation>
    </message>
    <message>
        <source>This appeal has already been decided or withdrawn.</source>
        <translation>Kiến nghị này đã được giải quyết hoặc đã rút.</translation>
    </message>
    <message>
        <source>Write the decision on the appeal (its content and grounds).</source>
        <translation>Hãy nhập kết quả giải quyết kiến nghị (nội dung và căn cứ).</translation>
    </message>
    <message>
        <source>“{value}” is not a decision: write upheld or changed.</source>
        <translation>“{value}” không phải là kết quả giải quyết: hãy ghi upheld (giữ nguyên) hoặc changed (thay đổi).</translation>
    </message>
    <message>
        <source>A changed result needs the new values: the general criteria points (or the leader factors) of the month, or the new level of the year.</source>
        <translation>Thay đổi kết quả cần có giá trị mới: điểm tiêu chí chung (hoặc các tiêu chí đ, e của lãnh đạo) của tháng, hoặc mức xếp loại mới của năm.</translation>
    </message>
    <message>
        <source>The new values are the same as the current result: choose “upheld” instead.</source>
        <translation>Giá trị mới giống kết quả hiện tại: hãy chọn “giữ nguyên kết quả”.</translation>
    </message>
    <message>
        <source>“{value}” is not a kind of day: write day_off or workday.</source>
        <translation>“{value}” không phải là loại ngày: hãy ghi day_off (ngày nghỉ) hoặc workday (ngày làm bù).</translation>
    </message>
    <message>
        <source>A day off needs a name (for example the occasion).</source>
        <translation>Ngày nghỉ cần có tên (ví dụ lý do nghỉ).</translation>
    </message>
    <message>
        <source>{date} is already a day off (weekend or public holiday).</source>
        <translation>Ngày {date} đã là ngày nghỉ (cuối tuần hoặc nghỉ lễ, tết).</translation>
    </message>
    <message>
        <source>{date} is already a working day; a make-up working day must fall on a weekend or holiday.</source>
        <translation>Ngày {date} đã là ngày làm việc; ngày làm bù phải là ngày cuối tuần hoặc ngày nghỉ.</translation>
    </message>
    <message>
        <source>The agency has declared nothing for {date}.</source>
        <translation>Cơ quan chưa thông báo gì cho ngày {date}.</translation>
    </message>
    <message>
        <source>Only a head, a deputy head or the agency administrator can change the working-day calendar.</source>
        <translation>Chỉ người đứng đầu, cấp phó hoặc người quản trị của cơ quan mới được thay đổi lịch làm việc.</translation>
    </message>
    <message>
        <source>{name} must be 0 (no) or 1 (yes), not {value}.</source>
        <translation>{name} phải là 0 (không) hoặc 1 (có), không phải {value}.</translation>
    </message>
    <message>
        <source>{name} must be between 0 and {maximum} (got {value}).</source>
        <translation>{name} phải từ 0 đến {maximum} (đã nhập {value}).</translation>
    </message>
    <message>
        <source>“{code}” is not an organisation indicator.</source>
        <translation>“{code}” không phải là chỉ số của cơ quan, tổ chức.</translation>
    </message>
    <message>
        <source>The indicator file was not imported (nothing was changed): row {row}: {reason}</source>
        <translation>Không nhập tệp chỉ số (không có gì thay đổi): dòng {row}: {reason}</translation>
    </message>
    <message>
        <source>the first row must name the columns {columns}.</source>
        <translation>dòng đầu phải ghi tên các cột {columns}.</translation>
    </message>
    <message>
        <source>the same unit, period and indicator are already on row {other}.</source>
        <translation>cùng đơn vị, kỳ và chỉ số đã có ở dòng {other}.</translation>
    </message>
    <message>
        <source>The file {path} cannot be read as UTF-8 text.</source>
        <translation>Không đọc được tệp {path} dưới dạng văn bản UTF-8.</translation>
    </message>
    <message>
        <source>You may not change the organisation evaluation of unit {unit}.</source>
        <translation>Không có quyền thay đổi đánh giá, xếp loại chất lượng của đơn vị {unit}.</translation>
    </message>
    <message>
        <source>The organisation&apos;s level cannot be higher than the level its indicators give.</source>
        <translation>Mức xếp loại của tổ chức không được cao hơn mức mà các chỉ số cho phép.</translation>
    </message>
    <message>
        <source>Give the number of the decision.</source>
        <translation>Hãy nhập số quyết định.</translation>
    </message>
    <message>
        <source>“{value}” is not a KPI kind: use spearhead, hard or soft.</source>
        <translation>“{value}” không phải là loại KPI (nhóm nhiệm vụ): dùng spearhead (mũi nhọn), hard (cứng, định lượng) hoặc soft (mềm, định tính).</translation>
    </message>
    <message>
        <source>The related decision {id} is not a decision about the same person.</source>
        <translation>Quyết định liên quan {id} không phải là quyết định đối với cùng công chức này.</translation>
    </message>
    <message>
        <source>The year already rated Unsatisfactory ({year}) must be before the year of the decision ({decided}).</source>
        <translation>Năm đã xếp loại Không hoàn thành nhiệm vụ ({year}) phải trước năm ban hành quyết định ({decided}).</translation>
    </message>
    <message>
        <source>A corruption case in a directly managed unit counts only for heads and deputy heads (Article 20.4d).</source>
        <translation>Vụ việc tham ô, tham nhũng, lãng phí ở đơn vị trực tiếp phụ trách chỉ áp dụng với công chức giữ chức vụ lãnh đạo, quản lý (điểm d khoản 4 Điều 20).</translation>
    </message>
    <message>
        <source>The decision date {date} is in the future.</source>
        <translation>Ngày quyết định {date} ở tương lai.</translation>
    </message>
    <message>
        <source>Row {row}: {sentence}</source>
        <translation>Dòng {row}: {sentence}</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 phút</translation>
    </message>
    <message>
        <source>{n} minutes</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <source>1 second</source>
        <translation>1 giây</translation>
    </message>
    <message>
        <source>{n} seconds</source>
        <translation>{n} giây</translation>
    </message>
    <message>
        <source>The {field} contains a control character ({char}) that cannot be stored or exported: remove it (it often comes from copying out of another program) and try again.</source>
        <translation>Trường “{field}” chứa ký tự điều khiển ({char}) không thể lưu hoặc xuất ra: hãy xóa ký tự đó (thường do sao chép từ chương trình khác) rồi thử lại.</translation>
    </message>
    <message>
        <source>The {field} is {length} characters long; at most {maximum} are allowed.</source>
        <translation>Trường “{field}” dài {length} ký tự; chỉ được tối đa {maximum} ký tự.</translation>
    </message>
    <message>
        <source>A cell holds more than {maximum} characters.</source>
        <translation>Một ô chứa quá {maximum} ký tự.</translation>
    </message>
    <message>
        <source>The {field} {value} is not plausible: dates from {first} to {last} are accepted.</source>
        <translation>Giá trị “{field}” {value} không hợp lý: chỉ chấp nhận ngày từ {first} đến {last}.</translation>
    </message>
    <message>
        <source>The quantity {value} has more than two decimals: write it like 1, 2.5 or 0.25.</source>
        <translation>Số lượng {value} có quá hai chữ số thập phân: hãy viết như 1; 2,5 hoặc 0,25.</translation>
    </message>
    <message>
        <source>The quantity {value} is larger than any entry may hold ({maximum}): split the work into entries of the days it was done.</source>
        <translation>Số lượng {value} lớn hơn mức tối đa của một bản ghi ({maximum}): hãy tách công việc thành các bản ghi theo từng ngày thực hiện.</translation>
    </message>
    <message>
        <source>The quantity {value} of item {item} is more than one day can hold (at most {maximum} by its time norm). Check it; if it is right, confirm it (--confirm-quantity on the command line).</source>
        <translation>Số lượng {value} của sản phẩm/công việc {item} vượt quá khối lượng của một ngày (tối đa {maximum} theo định mức thời gian). Hãy kiểm tra lại; nếu đúng thì xác nhận (trên dòng lệnh: --confirm-quantity).</translation>
    </message>
    <message>
        <source>The {field} “{value}” is not a duration: give minutes from 0 to 1440 (one day).</source>
        <translation>Giá trị “{field}” “{value}” không phải là khoảng thời gian: hãy nhập số phút từ 0 đến 1440 (một ngày).</translation>
    </message>
    <message>
        <source>The passphrase is wrong ({failures} times in a row): wait {wait} before the next try.</source>
        <translation>Mật khẩu không đúng ({failures} lần liên tiếp): hãy chờ {wait} trước khi thử lại.</translation>
    </message>
    <message>
        <source>Too many wrong passphrases for {name} ({failures} in a row): wait {wait} before trying again.</source>
        <translation>Đã nhập sai mật khẩu của {name} quá nhiều lần ({failures} lần liên tiếp): hãy chờ {wait} rồi thử lại.</translation>
    </message>
    <message>
        <source>This passphrase is among the first that anyone would try (a common word, a run of digits, a date or your own identifier). Choose a few unrelated words, for example a short sentence only you would think of.</source>
        <translation>Mật khẩu này thuộc loại ai cũng thử đầu tiên (một từ thông dụng, một dãy số, một ngày tháng hoặc chính mã của đồng chí). Hãy chọn vài từ không liên quan đến nhau, ví dụ một câu ngắn chỉ đồng chí nghĩ ra.</translation>
    </message>
    <message>
        <source>No passphrase was given for {owner}: type it when asked, or set the environment variable {variable} when no terminal is attached.</source>
        <translation>Chưa nhập mật khẩu cho {owner}: hãy gõ mật khẩu khi được hỏi, hoặc đặt biến môi trường {variable} khi không có cửa sổ dòng lệnh.</translation>
    </message>
    <message>
        <source>The bundle file is damaged: “{file}” inside it does not match the size or checksum the file records for it. Nothing was imported; ask the sender to export it again.</source>
        <translation>Tệp gói dữ liệu bị hỏng: tệp “{file}” bên trong không khớp với kích thước hoặc mã kiểm tra mà gói ghi cho nó. Không nhập gì; hãy đề nghị người gửi xuất lại.</translation>
    </message>
    <message>
        <source>The bundle file holds “{path}” twice, which a KPI Desktop bundle never does: it was tampered with. Nothing was imported; ask the sender to export it again.</source>
        <translation>Tệp gói dữ liệu chứa “{path}” hai lần, điều mà gói dữ liệu của KPI Desktop không bao giờ có: tệp đã bị can thiệp. Không nhập gì; hãy đề nghị người gửi xuất lại.</translation>
    </message>
    <message>
        <source>Only the agency&apos;s organisation file may be addressed to everyone; this {kind} from {sender} was not stored. Export it again for its recipient.</source>
        <translation>Chỉ tệp tổ chức của cơ quan mới được gửi cho tất cả mọi người; gói {kind} này của {sender} không được lưu. Hãy xuất lại cho đúng người nhận.</translation>
    </message>
    <message>
        <source>{sender} has sent the hub as much as the agency allows in 24 hours ({bundles} bundles, {megabytes} MB); the bundle was not stored and stays in the outbox. Try again tomorrow, or ask the agency to raise the limit.</source>
        <translation>{sender} đã gửi lên máy chủ tiếp nhận hết hạn mức cơ quan cho phép trong 24 giờ ({bundles} gói dữ liệu, {megabytes} MB); gói dữ liệu chưa được lưu và vẫn nằm trong hộp thư đi. Hãy thử lại vào ngày mai hoặc đề nghị cơ quan nâng hạn mức.</translation>
    </message>
    <message>
        <source>The hub is busy; try again in {wait}.</source>
        <translation>Máy chủ tiếp nhận đang bận; hãy thử lại sau {wait}.</translation>
    </message>
    <message>
        <source>The hub refused the request: the field “{field}” is missing, too long or not of the expected form.</source>
        <translation>Máy chủ tiếp nhận từ chối yêu cầu: trường “{field}” bị thiếu, quá dài hoặc không đúng dạng.</translation>
    </message>
    <message>
        <source>The hub refused the request: it is larger than {limit} bytes.</source>
        <translation>Máy chủ tiếp nhận từ chối yêu cầu: yêu cầu lớn hơn {limit} byte.</translation>
    </message>
    <message>
        <source>The hub stopped waiting: the request sent nothing for too long.</source>
        <translation>Máy chủ tiếp nhận đã ngừng chờ: yêu cầu không gửi thêm dữ liệu trong thời gian quá lâu.</translation>
    </message>
    <message>
        <source>The hub cannot use the certificate {path} ({detail}): give a PEM certificate with --certfile and its private key with --keyfile.</source>
        <translation>Máy chủ tiếp nhận không dùng được chứng thư số {path} ({detail}): hãy chỉ ra chứng thư số dạng PEM bằng --certfile và khóa bí mật của nó bằng --keyfile.</translation>
    </message>
    <message>
        <source>The hub limit “{field}” must be a whole number from 1 to {maximum} (got {value}).</source>
        <translation>Hạn mức “{field}” của máy chủ tiếp nhận phải là số nguyên từ 1 đến {maximum} (nhận được {value}).</translation>
    </message>
</context>
<context>
    <name>Evaluator</name>
    <message>
        <source>Evaluator: none recorded</source>
        <translation>Người đánh giá: chưa được phân công</translation>
    </message>
    <message>
        <source>Evaluator: {name}</source>
        <translation>Người đánh giá: {name}</translation>
    </message>
</context>
<context>
    <name>EvaluatorsPage</name>
    <message>
        <source>Evaluators</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>Who evaluates whom</source>
        <translation>Ai đánh giá ai</translation>
    </message>
    <message>
        <source>&amp;Current relations only</source>
        <translation>Chỉ &amp;quan hệ hiện hành</translation>
    </message>
    <message>
        <source>Evaluated person</source>
        <translation>Người được đánh giá</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>Quan hệ đánh giá</translation>
    </message>
    <message>
        <source>Evaluated &amp;person:</source>
        <translation>Người đượ&amp;c đánh giá:</translation>
    </message>
    <message>
        <source>E&amp;valuator:</source>
        <translation>Người đán&amp;h giá:</translation>
    </message>
    <message>
        <source>F&amp;rom:</source>
        <translation>&amp;Từ ngày:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>Đến ngà&amp;y:</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>&amp;Ghi chú:</translation>
    </message>
    <message>
        <source>no end</source>
        <translation>không thời hạn</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>Thê&amp;m</translation>
    </message>
    <message>
        <source>&amp;Save changes</source>
        <translation>&amp;Lưu thay đổi</translation>
    </message>
    <message>
        <source>&amp;End on the “To” day</source>
        <translation>&amp;Kết thúc vào “Đến ngày”</translation>
    </message>
    <message>
        <source>A new evaluator ends the person&apos;s current one the day before. Nobody evaluates themself, and evaluators cannot go round in a circle.</source>
        <translation>Khi thêm người đánh giá mới, quan hệ hiện hành của người được đánh giá kết thúc vào ngày hôm trước. Không ai tự đánh giá mình, và các quan hệ đánh giá không được tạo thành vòng khép kín.</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>trực tiếp</translation>
    </message>
    <message>
        <source>acting</source>
        <translation>được ủy quyền</translation>
    </message>
    <message>
        <source>{evaluator} evaluates {person} from {start}.</source>
        <translation>{evaluator} đánh giá {person} từ ngày {start}.</translation>
    </message>
    <message>
        <source>Relation saved.</source>
        <translation>Đã lưu quan hệ đánh giá.</translation>
    </message>
    <message>
        <source>Relation ended on {day}.</source>
        <translation>Quan hệ đánh giá kết thúc ngày {day}.</translation>
    </message>
</context>
<context>
    <name>FavouritesBar</name>
    <message>
        <source>Remove from my frequent tasks</source>
        <translation>Bỏ khỏi việc hay làm</translation>
    </message>
    <message>
        <source>Frequent tasks:</source>
        <translation>Việc hay làm:</translation>
    </message>
    <message>
        <source>none yet: choose an item, then ☆</source>
        <translation>chưa có: chọn một việc rồi bấm ☆</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>output product description</source>
        <translation>mô tả sản phẩm đầu ra</translation>
    </message>
    <message>
        <source>output document number</source>
        <translation>số văn bản đầu ra</translation>
    </message>
    <message>
        <source>description</source>
        <translation>mô tả</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>lý do</translation>
    </message>
    <message>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <source>name</source>
        <translation>tên</translation>
    </message>
    <message>
        <source>full name</source>
        <translation>họ và tên</translation>
    </message>
    <message>
        <source>work date</source>
        <translation>ngày làm việc</translation>
    </message>
    <message>
        <source>deadline</source>
        <translation>hạn hoàn thành</translation>
    </message>
    <message>
        <source>completion date</source>
        <translation>ngày hoàn thành</translation>
    </message>
    <message>
        <source>date</source>
        <translation>ngày</translation>
    </message>
    <message>
        <source>effective date</source>
        <translation>ngày có hiệu lực</translation>
    </message>
    <message>
        <source>decision date</source>
        <translation>ngày quyết định</translation>
    </message>
    <message>
        <source>date it applies from</source>
        <translation>ngày bắt đầu áp dụng</translation>
    </message>
    <message>
        <source>passphrase</source>
        <translation>mật khẩu</translation>
    </message>
    <message>
        <source>daily time norm</source>
        <translation>định mức thời gian một ngày</translation>
    </message>
    <message>
        <source>time norm</source>
        <translation>định mức thời gian</translation>
    </message>
</context>
<context>
    <name>GeneralCriteria</name>
    <message>
        <source>I. Political quality, ethics, public-service culture; discipline</source>
        <translation>I. Phẩm chất chính trị, phẩm chất đạo đức, văn hóa thực thi công vụ và ý thức kỷ luật, kỷ cương</translation>
    </message>
    <message>
        <source>II. Professional capacity, meeting the tasks, responsibility, service and cooperation</source>
        <translation>II. Năng lực chuyên môn, khả năng đáp ứng nhiệm vụ, tinh thần trách nhiệm, thái độ phục vụ và phối hợp</translation>
    </message>
    <message>
        <source>III. Innovation, creativity, daring to think, act and take responsibility</source>
        <translation>III. Năng lực đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm</translation>
    </message>
    <message>
        <source>Political quality, ethics and public-service culture</source>
        <translation>Phẩm chất chính trị, phẩm chất đạo đức, văn hóa thực thi công vụ</translation>
    </message>
    <message>
        <source>Discipline and order in public service</source>
        <translation>Ý thức kỷ luật, kỷ cương trong thực thi công vụ</translation>
    </message>
    <message>
        <source>Professional capacity required by the job position</source>
        <translation>Năng lực chuyên môn, nghiệp vụ theo yêu cầu của vị trí việc làm</translation>
    </message>
    <message>
        <source>Meeting routine and ad hoc tasks</source>
        <translation>Khả năng đáp ứng yêu cầu thực thi nhiệm vụ thường xuyên, đột xuất</translation>
    </message>
    <message>
        <source>Sense of responsibility in public service</source>
        <translation>Tinh thần trách nhiệm trong thực thi công vụ</translation>
    </message>
    <message>
        <source>Attitude towards citizens and businesses; cooperation with colleagues</source>
        <translation>Thái độ phục vụ người dân, doanh nghiệp và khả năng phối hợp với đồng nghiệp</translation>
    </message>
    <message>
        <source>Breakthrough, creative products or solutions with real value</source>
        <translation>Có sản phẩm, giải pháp đột phá, sáng tạo đem lại giá trị thiết thực</translation>
    </message>
    <message>
        <source>Ready for especially important, urgent, complex or difficult tasks</source>
        <translation>Sẵn sàng nhận nhiệm vụ đặc biệt quan trọng, đột xuất, phức tạp, khó khăn</translation>
    </message>
    <message>
        <source>Takes responsibility for results, admits and corrects mistakes</source>
        <translation>Chịu trách nhiệm trước kết quả công việc, nhận sai sót và khắc phục</translation>
    </message>
    <message>
        <source>Decides within own authority; pioneers new tasks</source>
        <translation>Chủ động quyết định trong phạm vi thẩm quyền; tiên phong với nhiệm vụ mới</translation>
    </message>
    <message>
        <source>Follows the Party&apos;s guidelines and the State&apos;s laws; firm political stance; honest, modest and simple way of life; no corruption, waste or bureaucracy; solidarity; correct, professional conduct at work; self-criticism and correction of shortcomings.</source>
        <translation>Chấp hành nghiêm đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước; bản lĩnh chính trị vững vàng; lối sống trong sáng, trung thực, khiêm tốn, giản dị; không tham nhũng, lãng phí, quan liêu; đoàn kết; thái độ đúng mực, phong cách làm việc chuyên nghiệp; tự phê bình, tự sửa khuyết điểm.</translation>
    </message>
    <message>
        <source>Follows the organisation&apos;s assignments and the rules of the office; declares assets and income as required; reports fully, honestly and accurately to superiors when asked.</source>
        <translation>Chấp hành sự phân công của tổ chức và nội quy, quy chế của cơ quan; kê khai, công khai tài sản, thu nhập theo quy định; báo cáo cấp trên đầy đủ, trung thực, chính xác khi được yêu cầu.</translation>
    </message>
    <message>
        <source>Thorough knowledge of the assigned field, its laws and procedures; keeps knowledge up to date; works independently and in teams; uses information technology well.</source>
        <translation>Có kiến thức sâu, toàn diện về lĩnh vực được phân công, hiểu quy định pháp luật và quy trình nghiệp vụ; thường xuyên cập nhật kiến thức; xử lý công việc độc lập và làm việc nhóm hiệu quả; sử dụng thành thạo công nghệ thông tin.</translation>
    </message>
    <message>
        <source>Routine tasks: handles planned work with stable quality. Ad hoc tasks: proposes solutions and reacts quickly and accurately to new demands.</source>
        <translation>Nhiệm vụ thường xuyên: xử lý công việc theo kế hoạch với chất lượng ổn định. Nhiệm vụ đột xuất: chủ động đề xuất giải pháp, phản ứng nhanh, chính xác với yêu cầu mới.</translation>
    </message>
    <message>
        <source>Responsible in research, proposals and advice; seeks information and adapts; applies new knowledge and technology; cooperates well.</source>
        <translation>Có trách nhiệm trong nghiên cứu, đề xuất, tham mưu; chủ động tiếp cận thông tin và điều chỉnh cách làm; ứng dụng kiến thức, công nghệ mới; phối hợp tốt.</translation>
    </message>
    <message>
        <source>Citizens and businesses rate the service as professional, clear and transparent; positions without public contact: cooperative and effective in joint procedures.</source>
        <translation>Được người dân, doanh nghiệp đánh giá tích cực về tính chuyên nghiệp, rõ ràng, minh bạch; với vị trí không tiếp xúc trực tiếp: hợp tác, phối hợp hiệu quả trong xử lý liên thông.</translation>
    </message>
    <message>
        <source>Has breakthrough, creative products or solutions that bring practical value and improve the unit&apos;s results.</source>
        <translation>Có sản phẩm, giải pháp đột phá, sáng tạo đem lại giá trị, hiệu quả thiết thực, tác động tích cực đến kết quả của cơ quan, đơn vị.</translation>
    </message>
    <message>
        <source>Ready to take part in especially important political tasks and in urgent, complex or difficult work.</source>
        <translation>Sẵn sàng tham gia nhiệm vụ chính trị đặc biệt quan trọng, nhiệm vụ đột xuất, phức tạp hoặc trong điều kiện khó khăn.</translation>
    </message>
    <message>
        <source>Answers for the results of the work; owns mistakes and has clear, concrete measures to correct them.</source>
        <translation>Chịu trách nhiệm trước kết quả công việc; chủ động nhận trách nhiệm khi có sai sót và có biện pháp khắc phục rõ ràng, cụ thể.</translation>
    </message>
    <message>
        <source>Takes decisions within own authority without avoiding them; leads the way in new tasks.</source>
        <translation>Chủ động đưa ra quyết định trong phạm vi thẩm quyền, không né tránh; tiên phong thực hiện những nhiệm vụ mới.</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>KPI Desktop {version} — work log and evaluation under Decree 335/2025/NĐ-CP, working offline.</source>
        <translation>KPI Desktop {version} — nhật ký công việc và đánh giá theo Nghị định 335/2025/NĐ-CP, làm việc không cần Internet.</translation>
    </message>
    <message>
        <source>Help for {organisation}: {contact}</source>
        <translation>Hỗ trợ cho {organisation}: {contact}</translation>
    </message>
    <message>
        <source>No support contact is in the organisation file yet: ask the agency&apos;s personnel unit.</source>
        <translation>Tệp tổ chức chưa có đầu mối hỗ trợ: hãy liên hệ bộ phận tổ chức cán bộ của cơ quan.</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>KPI Desktop — user guide</source>
        <translation>KPI Desktop — hướng dẫn sử dụng</translation>
    </message>
</context>
<context>
    <name>IndicatorDialog</name>
    <message>
        <source>Organisation indicator</source>
        <translation>Chỉ số của cơ quan, tổ chức</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
</context>
<context>
    <name>Integrity</name>
    <message>
        <source>{size} GB</source>
        <translation>{size} GB</translation>
    </message>
    <message>
        <source>{size} MB</source>
        <translation>{size} MB</translation>
    </message>
    <message>
        <source>{size} kB</source>
        <translation>{size} kB</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>hằng ngày</translation>
    </message>
    <message>
        <source>on request</source>
        <translation>theo yêu cầu</translation>
    </message>
    <message>
        <source>before an import</source>
        <translation>trước khi nhập gói dữ liệu</translation>
    </message>
    <message>
        <source>before a transfer import</source>
        <translation>trước khi nhập gói điều động</translation>
    </message>
    <message>
        <source>before a restore</source>
        <translation>trước khi khôi phục</translation>
    </message>
    <message>
        <source>before a program upgrade</source>
        <translation>trước khi nâng cấp chương trình</translation>
    </message>
    <message>
        <source>before a program upgrade (data version {revision})</source>
        <translation>trước khi nâng cấp chương trình (phiên bản dữ liệu {revision})</translation>
    </message>
    <message>
        <source>monthly evaluation</source>
        <translation>đánh giá hằng tháng</translation>
    </message>
    <message>
        <source>annual classification</source>
        <translation>xếp loại năm</translation>
    </message>
    <message>
        <source>work-log entry</source>
        <translation>mục nhật ký công việc</translation>
    </message>
    <message>
        <source>submitted version of a work-log entry</source>
        <translation>bản đã gửi của mục nhật ký công việc</translation>
    </message>
    <message>
        <source>confirmation or return of work</source>
        <translation>xác nhận hoặc trả lại công việc</translation>
    </message>
    <message>
        <source>assignment</source>
        <translation>giao nhiệm vụ</translation>
    </message>
    <message>
        <source>appeal</source>
        <translation>kiến nghị</translation>
    </message>
    <message>
        <source>discipline decision</source>
        <translation>quyết định kỷ luật</translation>
    </message>
    <message>
        <source>proposal of a catalog item</source>
        <translation>đề xuất sản phẩm/công việc</translation>
    </message>
    <message>
        <source>replaced evaluation</source>
        <translation>kết quả đánh giá đã được thay thế</translation>
    </message>
    <message>
        <source>month received with a transfer</source>
        <translation>tháng nhận theo hồ sơ điều động</translation>
    </message>
    <message>
        <source>person</source>
        <translation>công chức</translation>
    </message>
    <message>
        <source>person&apos;s key</source>
        <translation>khóa của công chức</translation>
    </message>
    <message>
        <source>catalog item</source>
        <translation>sản phẩm/công việc</translation>
    </message>
    <message>
        <source>audit log line</source>
        <translation>dòng nhật ký thao tác</translation>
    </message>
    <message>
        <source>database structure</source>
        <translation>cấu trúc cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>database counter</source>
        <translation>bộ đếm của cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>row of table {table}</source>
        <translation>dòng của bảng {table}</translation>
    </message>
    <message>
        <source>total</source>
        <translation>tổng điểm</translation>
    </message>
    <message>
        <source>level</source>
        <translation>mức xếp loại</translation>
    </message>
    <message>
        <source>computed level</source>
        <translation>mức xếp loại tính được</translation>
    </message>
    <message>
        <source>general criteria points</source>
        <translation>điểm tiêu chí chung</translation>
    </message>
    <message>
        <source>task points</source>
        <translation>điểm thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>task ratio</source>
        <translation>tỷ lệ thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>completion rate a</source>
        <translation>tỷ lệ hoàn thành a</translation>
    </message>
    <message>
        <source>quality rate b</source>
        <translation>tỷ lệ chất lượng b</translation>
    </message>
    <message>
        <source>timeliness rate c</source>
        <translation>tỷ lệ tiến độ c</translation>
    </message>
    <message>
        <source>“insufficient data” mark</source>
        <translation>dấu “chưa đủ dữ liệu”</translation>
    </message>
    <message>
        <source>policy version</source>
        <translation>phiên bản quy tắc chấm điểm</translation>
    </message>
    <message>
        <source>evaluator</source>
        <translation>người đánh giá</translation>
    </message>
    <message>
        <source>record</source>
        <translation>bản ghi</translation>
    </message>
    <message>
        <source>SQLite reports damage in the file: {detail}</source>
        <translation>SQLite báo tệp bị hỏng: {detail}</translation>
    </message>
    <message>
        <source>refers to a missing row of {table}</source>
        <translation>tham chiếu tới một dòng không còn trong bảng {table}</translation>
    </message>
    <message>
        <source>cannot be read any more ({detail})</source>
        <translation>không đọc được nữa ({detail})</translation>
    </message>
    <message>
        <source>a stored value changed although nothing wrote it (damage of the file)</source>
        <translation>một giá trị đã lưu bị thay đổi mà không do chương trình ghi (tệp bị hỏng)</translation>
    </message>
    <message>
        <source>changed by another program, not by KPI Desktop</source>
        <translation>bị một chương trình khác sửa, không phải KPI Desktop</translation>
    </message>
    <message>
        <source>added by another program or damaged (it has no seal)</source>
        <translation>do chương trình khác thêm vào hoặc bị hỏng (không có mã niêm phong)</translation>
    </message>
    <message>
        <source>a stored row is missing (damage of the file)</source>
        <translation>mất một dòng dữ liệu đã lưu (tệp bị hỏng)</translation>
    </message>
    <message>
        <source>deleted by another program, not by KPI Desktop</source>
        <translation>bị một chương trình khác xóa, không phải KPI Desktop</translation>
    </message>
    <message>
        <source>its signature does not match the record as stored</source>
        <translation>chữ ký không khớp với bản ghi đang lưu</translation>
    </message>
    <message>
        <source>it carries no signature although it should</source>
        <translation>không có chữ ký dù lẽ ra phải có</translation>
    </message>
    <message>
        <source>signed with a key this computer does not know</source>
        <translation>được ký bằng khóa mà máy này không biết</translation>
    </message>
    <message>
        <source>signed with a key that is not its author&apos;s ({author})</source>
        <translation>được ký bằng khóa không phải của người lập ({author})</translation>
    </message>
    <message>
        <source>its stored hash does not match its content</source>
        <translation>mã băm đã lưu không khớp với nội dung</translation>
    </message>
    <message>
        <source>the entry as stored differs from version {revision} its author submitted</source>
        <translation>mục đang lưu khác với bản {revision} mà người lập đã gửi</translation>
    </message>
    <message>
        <source>stored {field} {stored} differs from {computed} computed again from the signed inputs</source>
        <translation>{field} đang lưu là {stored}, khác với {computed} tính lại từ dữ liệu đã ký</translation>
    </message>
    <message>
        <source>stored {field} {stored} differs from its record ({computed})</source>
        <translation>{field} đang lưu là {stored}, khác với bản ghi gốc ({computed})</translation>
    </message>
    <message>
        <source>the attached file “{file}” is missing ({path})</source>
        <translation>thiếu tệp đính kèm “{file}” ({path})</translation>
    </message>
    <message>
        <source>the attached file “{file}” was altered: its content no longer matches its hash ({path})</source>
        <translation>tệp đính kèm “{file}” đã bị thay đổi: nội dung không còn khớp với mã băm ({path})</translation>
    </message>
</context>
<context>
    <name>IntegrityWatch</name>
    <message>
        <source>The database is damaged</source>
        <translation>Cơ sở dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>The database is damaged, so KPI Desktop does not change anything in it.</source>
        <translation>Cơ sở dữ liệu bị hỏng nên KPI Desktop không ghi thay đổi nào vào đó.</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
    <message>
        <source>The newest backup that passed its check is {path}. Restore it now? The damaged file is kept in the backups folder.</source>
        <translation>Bản sao lưu mới nhất đã qua kiểm tra là {path}. Khôi phục ngay? Tệp bị hỏng được giữ lại trong thư mục sao lưu.</translation>
    </message>
    <message>
        <source>Restoring replaces what these people recorded on this computer since the backup: {names}.</source>
        <translation>Khôi phục sẽ thay thế những gì các đồng chí sau đây đã ghi nhận trên máy này kể từ bản sao lưu: {names}.</translation>
    </message>
    <message>
        <source>&amp;Restore the backup</source>
        <translation>&amp;Khôi phục bản sao lưu</translation>
    </message>
    <message>
        <source>No backup passed its check. Ask the IT staff for help; do not delete the data folder.</source>
        <translation>Không có bản sao lưu nào qua được kiểm tra. Hãy nhờ cán bộ tin học hỗ trợ; không xóa thư mục dữ liệu.</translation>
    </message>
    <message>
        <source>The data folder cannot be written</source>
        <translation>Không ghi được vào thư mục dữ liệu</translation>
    </message>
    <message>
        <source>The database check found 1 problem.</source>
        <translation>Kiểm tra cơ sở dữ liệu phát hiện 1 vấn đề.</translation>
    </message>
    <message>
        <source>The database check found {count} problems.</source>
        <translation>Kiểm tra cơ sở dữ liệu phát hiện {count} vấn đề.</translation>
    </message>
    <message>
        <source>Checking the database…</source>
        <translation>Đang kiểm tra cơ sở dữ liệu…</translation>
    </message>
    <message>
        <source>Checking the database… {percent}%</source>
        <translation>Đang kiểm tra cơ sở dữ liệu… {percent}%</translation>
    </message>
    <message>
        <source>The database check could not run: {reason}</source>
        <translation>Không chạy được việc kiểm tra cơ sở dữ liệu: {reason}</translation>
    </message>
    <message>
        <source>The database was checked: intact.</source>
        <translation>Đã kiểm tra cơ sở dữ liệu: nguyên vẹn.</translation>
    </message>
    <message>
        <source>The database is damaged: nothing can be changed until a backup is restored.</source>
        <translation>Cơ sở dữ liệu bị hỏng: không thể thay đổi dữ liệu cho đến khi khôi phục một bản sao lưu.</translation>
    </message>
    <message>
        <source>The database check found problems</source>
        <translation>Kiểm tra cơ sở dữ liệu phát hiện vấn đề</translation>
    </message>
    <message>
        <source>The data can still be used; show the details to the people concerned or to the IT staff.</source>
        <translation>Dữ liệu vẫn dùng được; hãy đưa phần chi tiết cho người liên quan hoặc cán bộ tin học xem.</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>Đang khôi phục bản sao lưu…</translation>
    </message>
    <message>
        <source>The backup was restored.</source>
        <translation>Đã khôi phục bản sao lưu.</translation>
    </message>
    <message>
        <source>Warning: {reason}</source>
        <translation>Cảnh báo: {reason}</translation>
    </message>
    <message>
        <source>The daily backup was not made</source>
        <translation>Chưa tạo được bản sao lưu hằng ngày</translation>
    </message>
    <message>
        <source>Today&apos;s backup could not be made; the work can go on.</source>
        <translation>Không tạo được bản sao lưu hôm nay; công việc vẫn tiếp tục được.</translation>
    </message>
</context>
<context>
    <name>ItemPicker</name>
    <message>
        <source>Group {group} · coefficient {coefficient} · time norm {norm}</source>
        <translation>Nhóm {group} · hệ số quy đổi {coefficient} · định mức thời gian {norm}</translation>
    </message>
    <message>
        <source>Search the catalog: code or name, e.g. “xu ly don”</source>
        <translation>Tìm trong danh mục: mã hoặc tên, ví dụ “xu ly don”</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>Toàn bộ danh mục</translation>
    </message>
    <message>
        <source>Also show items outside your job position</source>
        <translation>Hiện cả các sản phẩm/công việc ngoài vị trí việc làm</translation>
    </message>
    <message>
        <source>↓ to move into the list, Enter to choose</source>
        <translation>↓ để vào danh sách, Enter để chọn</translation>
    </message>
    <message>
        <source>Search the &amp;whole catalog</source>
        <translation>Tìm trong &amp;toàn bộ danh mục</translation>
    </message>
    <message>
        <source>&amp;Propose a new product…</source>
        <translation>Đề &amp;xuất sản phẩm mới…</translation>
    </message>
    <message>
        <source>Ask the agency to add a product to the catalog (Article 13(3))</source>
        <translation>Đề nghị cơ quan bổ sung sản phẩm/công việc vào danh mục (khoản 3 Điều 13)</translation>
    </message>
    <message>
        <source>Nothing in the whole catalog matches “{text}”.</source>
        <translation>Không có mục nào trong toàn bộ danh mục khớp với “{text}”.</translation>
    </message>
    <message>
        <source>The catalog is empty.</source>
        <translation>Danh mục chưa có mục nào.</translation>
    </message>
    <message>
        <source>Nothing in your job position&apos;s items matches “{text}”.</source>
        <translation>Không có mục nào thuộc vị trí việc làm của đồng chí khớp với “{text}”.</translation>
    </message>
    <message>
        <source>Your job position has no catalog items.</source>
        <translation>Vị trí việc làm của đồng chí chưa có sản phẩm/công việc nào trong danh mục.</translation>
    </message>
    <message>
        <source>Remove from my frequent tasks</source>
        <translation>Bỏ khỏi việc hay làm</translation>
    </message>
    <message>
        <source>Add to my frequent tasks (one-click entry above the form)</source>
        <translation>Thêm vào việc hay làm (ghi nhật ký bằng một lần bấm ở phía trên biểu mẫu)</translation>
    </message>
    <message>
        <source>No item chosen yet.</source>
        <translation>Chưa chọn sản phẩm/công việc.</translation>
    </message>
    <message>
        <source>Enter to choose:</source>
        <translation>Enter để chọn:</translation>
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
    <message>
        <source>proposal</source>
        <translation>đề xuất</translation>
    </message>
    <message>
        <source>appeal</source>
        <translation>kiến nghị</translation>
    </message>
    <message>
        <source>job position</source>
        <translation>vị trí việc làm</translation>
    </message>
    <message>
        <source>evaluator relation</source>
        <translation>quan hệ đánh giá</translation>
    </message>
    <message>
        <source>catalog version</source>
        <translation>phiên bản danh mục</translation>
    </message>
    <message>
        <source>key</source>
        <translation>khóa</translation>
    </message>
    <message>
        <source>confirmation or return of work</source>
        <translation>xác nhận hoặc trả lại kết quả công việc</translation>
    </message>
    <message>
        <source>evaluation</source>
        <translation>kết quả đánh giá</translation>
    </message>
    <message>
        <source>organisation file</source>
        <translation>tệp tổ chức</translation>
    </message>
    <message>
        <source>decision on an appeal</source>
        <translation>quyết định giải quyết kiến nghị</translation>
    </message>
    <message>
        <source>discipline decision</source>
        <translation>quyết định kỷ luật</translation>
    </message>
    <message>
        <source>annual classification</source>
        <translation>kết quả xếp loại năm</translation>
    </message>
    <message>
        <source>work bundle</source>
        <translation>gói công việc</translation>
    </message>
    <message>
        <source>review bundle</source>
        <translation>gói đánh giá</translation>
    </message>
    <message>
        <source>assignment bundle</source>
        <translation>gói giao nhiệm vụ</translation>
    </message>
    <message>
        <source>receipt</source>
        <translation>giấy báo đã nhận</translation>
    </message>
    <message>
        <source>bundle</source>
        <translation>gói dữ liệu</translation>
    </message>
</context>
<context>
    <name>KpiKind</name>
    <message>
        <source>spearhead</source>
        <translation>mũi nhọn</translation>
    </message>
    <message>
        <source>hard</source>
        <translation>cứng</translation>
    </message>
    <message>
        <source>soft</source>
        <translation>mềm</translation>
    </message>
    <message>
        <source>untagged</source>
        <translation>chưa phân loại</translation>
    </message>
    <message>
        <source>ad hoc / not assigned</source>
        <translation>phát sinh / không được giao</translation>
    </message>
    <message>
        <source>Work by KPI kind, {period} — {unit}</source>
        <translation>Công việc theo loại KPI, kỳ {period} — {unit}</translation>
    </message>
    <message>
        <source>completed / assigned (tasks; points)</source>
        <translation>hoàn thành / được giao (nhiệm vụ; điểm)</translation>
    </message>
</context>
<context>
    <name>KpiKindsPage</name>
    <message>
        <source>Work by KPI kind</source>
        <translation>Công việc theo loại KPI</translation>
    </message>
    <message>
        <source>Unit:</source>
        <translation>Đơn vị:</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Kỳ:</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Each cell: completed / assigned tasks · completed / assigned points. A task is completed when its confirmed quantity reaches the assigned one.</source>
        <translation>Mỗi ô: số nhiệm vụ hoàn thành / được giao · điểm hoàn thành / được giao. Nhiệm vụ được tính là hoàn thành khi số lượng đã xác nhận đạt số lượng được giao.</translation>
    </message>
    <message>
        <source>Work outside assignments (ad hoc or taken over, Article 18.1d) has its own row, by the kind of its catalog item: it adds completed tasks and points to the unit total, outside the assigned total.</source>
        <translation>Công việc ngoài nhiệm vụ được giao (nhiệm vụ đột xuất, phát sinh hoặc tiếp nhận thêm, điểm d khoản 1 Điều 18) được thống kê ở một dòng riêng, theo loại của sản phẩm/công việc trong danh mục: được cộng thêm vào số nhiệm vụ và điểm hoàn thành của đơn vị, ngoài tổng số được giao.</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Unit total</source>
        <translation>Tổng đơn vị</translation>
    </message>
    <message>
        <source>Confirmed work outside assignments: completed tasks · completed points</source>
        <translation>Công việc ngoài nhiệm vụ được giao đã xác nhận: số nhiệm vụ hoàn thành · điểm hoàn thành</translation>
    </message>
    <message>
        <source>Points completed of points assigned, by KPI kind</source>
        <translation>Điểm hoàn thành trên điểm được giao, theo loại KPI</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>Written {path}</source>
        <translation>Đã ghi {path}</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Welcome to KPI Desktop</source>
        <translation>Chào mừng đến với KPI Desktop</translation>
    </message>
    <message>
        <source>Choose the language of the application.</source>
        <translation>Chọn ngôn ngữ của ứng dụng.</translation>
    </message>
    <message>
        <source>KPI Desktop records your daily work and computes the monthly score and the yearly classification of Decree 335/2025/NĐ-CP on this computer, without the Internet. You can change the language later in the Language menu.</source>
        <translation>KPI Desktop ghi nhật ký công việc hằng ngày, tính điểm hằng tháng và xếp loại chất lượng hằng năm theo Nghị định số 335/2025/NĐ-CP ngay trên máy tính này, không cần Internet. Có thể đổi ngôn ngữ sau trong trình đơn Ngôn ngữ.</translation>
    </message>
</context>
<context>
    <name>LeaderAppealsPage</name>
    <message>
        <source>Appeals to decide</source>
        <translation>Giải quyết kiến nghị</translation>
    </message>
    <message>
        <source>Show decided appeals</source>
        <translation>Hiện cả kiến nghị đã giải quyết</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Hạn giải quyết</translation>
    </message>
    <message>
        <source>The decision on the appeal was recorded: {name}, {period}.</source>
        <translation>Đã ghi kết quả giải quyết kiến nghị: {name}, {period}.</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Thời gian còn lại</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Decide…</source>
        <translation>Giải quyết…</translation>
    </message>
    <message>
        <source>{n} appeals wait for your decision; {late} past the 7-working-day deadline (Article 22).</source>
        <translation>{n} kiến nghị đang chờ đồng chí giải quyết; {late} kiến nghị đã quá thời hạn 07 ngày làm việc (Điều 22).</translation>
    </message>
    <message>
        <source>Appeal not decided</source>
        <translation>Chưa ghi được kết quả giải quyết kiến nghị</translation>
    </message>
</context>
<context>
    <name>LeaderAssignmentsPage</name>
    <message>
        <source>Assignments</source>
        <translation>Giao nhiệm vụ</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>Tháng:</translation>
    </message>
    <message>
        <source>Copy last month&apos;s assignments</source>
        <translation>Sao chép nhiệm vụ tháng trước</translation>
    </message>
    <message>
        <source>Copies every person&apos;s assignments of the previous month; people who already have assignments this month are left as they are.</source>
        <translation>Sao chép nhiệm vụ tháng trước của từng người; người đã được giao nhiệm vụ trong tháng này được giữ nguyên.</translation>
    </message>
    <message>
        <source>Assigned vs completed (converted units)</source>
        <translation>Được giao và đã hoàn thành (đơn vị quy đổi)</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Số nhiệm vụ</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Được giao</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Đã hoàn thành</translation>
    </message>
    <message>
        <source>Completed %</source>
        <translation>Tỷ lệ hoàn thành</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Product / work</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Chờ xác nhận</translation>
    </message>
    <message>
        <source>Assign a task</source>
        <translation>Giao nhiệm vụ</translation>
    </message>
    <message>
        <source>Catalog item</source>
        <translation>Sản phẩm/công việc trong danh mục</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Thời hạn hoàn thành</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>KPI kind</source>
        <translation>Loại KPI</translation>
    </message>
    <message>
        <source>as in the catalog</source>
        <translation>theo danh mục</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Giao</translation>
    </message>
    <message>
        <source>Cancel the selected assignment</source>
        <translation>Hủy nhiệm vụ đang chọn</translation>
    </message>
    <message>
        <source>Assignments of {name} for {month}</source>
        <translation>Nhiệm vụ giao cho {name} tháng {month}</translation>
    </message>
    <message>
        <source>Task {code} assigned to {name}.</source>
        <translation>Đã giao nhiệm vụ {code} cho {name}.</translation>
    </message>
    <message>
        <source>Assignment cancelled.</source>
        <translation>Đã hủy nhiệm vụ được giao.</translation>
    </message>
    <message>
        <source>{n} assignments copied for {people} people; {skipped} people skipped.</source>
        <translation>Đã sao chép {n} nhiệm vụ cho {people} người; bỏ qua {skipped} người.</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <source>Left the organisation</source>
        <translation>Rời cơ quan, đơn vị</translation>
    </message>
    <message>
        <source>{name} leaves the organisation. Their unit membership and evaluator relations end on the last day, their key is revoked and, after the next publication, they no longer appear at sign-in or in the lists. Their work log and evaluations are kept.</source>
        <translation>{name} rời cơ quan, đơn vị. Việc thuộc đơn vị và các quan hệ đánh giá kết thúc vào ngày làm việc cuối cùng, khóa bị thu hồi và sau lần công bố tiếp theo, người này không còn xuất hiện khi đăng nhập hay trong các danh sách. Nhật ký công việc và kết quả đánh giá vẫn được lưu giữ.</translation>
    </message>
    <message>
        <source>&amp;Last day:</source>
        <translation>Ngày làm việc &amp;cuối cùng:</translation>
    </message>
    <message>
        <source>&amp;Reason (optional):</source>
        <translation>&amp;Lý do (không bắt buộc):</translation>
    </message>
    <message>
        <source>retirement, transfer to another agency…</source>
        <translation>nghỉ hưu, chuyển công tác sang cơ quan khác…</translation>
    </message>
    <message>
        <source>Record &amp;departure</source>
        <translation>&amp;Ghi nhận việc nghỉ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>LeaveKind</name>
    <message>
        <source>sick leave (social insurance)</source>
        <translation>nghỉ ốm (bảo hiểm xã hội)</translation>
    </message>
    <message>
        <source>maternity leave (social insurance)</source>
        <translation>nghỉ thai sản (bảo hiểm xã hội)</translation>
    </message>
    <message>
        <source>unpaid personal leave</source>
        <translation>nghỉ việc riêng không hưởng lương</translation>
    </message>
</context>
<context>
    <name>LeaveRecordDialog</name>
    <message>
        <source>Leave of {name}</source>
        <translation>Thời gian nghỉ của {name}</translation>
    </message>
    <message>
        <source>Sick and maternity leave (social insurance) and unpaid personal leave (Article 11.2): months entirely on leave do not enter the mean of the year.</source>
        <translation>Nghỉ ốm, nghỉ thai sản (bảo hiểm xã hội) và nghỉ việc riêng không hưởng lương (khoản 2 Điều 11): các tháng nghỉ cả tháng không tính vào điểm trung bình của năm.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại nghỉ</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Quyết định</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>&amp;Hủy…</translation>
    </message>
    <message>
        <source>Record leave</source>
        <translation>Ghi nhận thời gian nghỉ</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Loại nghỉ:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Từ ngày:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>Đế&amp;n ngày:</translation>
    </message>
    <message>
        <source>&amp;Decision number:</source>
        <translation>Số &amp;quyết định:</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>Gh&amp;i chú:</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>&amp;Ghi nhận</translation>
    </message>
    <message>
        <source>Months entirely on leave in {year}: {n}</source>
        <translation>Số tháng nghỉ cả tháng trong năm {year}: {n}</translation>
    </message>
    <message>
        <source>Leave of {name} recorded: {kind}, {start} – {end}.</source>
        <translation>Đã ghi nhận thời gian nghỉ của {name}: {kind}, {start} – {end}.</translation>
    </message>
    <message>
        <source>Remove leave</source>
        <translation>Hủy thời gian nghỉ</translation>
    </message>
    <message>
        <source>Why is this leave removed?</source>
        <translation>Vì sao hủy thời gian nghỉ này?</translation>
    </message>
    <message>
        <source>Leave of {name} removed.</source>
        <translation>Đã hủy thời gian nghỉ của {name}.</translation>
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
    <name>LevelShort</name>
    <message>
        <source>Excellent</source>
        <translation>HTXSNV</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>HTTNV</translation>
    </message>
    <message>
        <source>Satisfactory</source>
        <translation>HTNV</translation>
    </message>
    <message>
        <source>Unsatisfactory</source>
        <translation>KHTNV</translation>
    </message>
    <message>
        <source>Not classified</source>
        <translation>Không xếp loại</translation>
    </message>
</context>
<context>
    <name>MergeUnitsDialog</name>
    <message>
        <source>A new unit</source>
        <translation>Đơn vị mới</translation>
    </message>
    <message>
        <source>Merge units</source>
        <translation>Sáp nhập đơn vị</translation>
    </message>
    <message>
        <source>Units to merge:</source>
        <translation>Các đơn vị được sáp nhập:</translation>
    </message>
    <message>
        <source>Merged into:</source>
        <translation>Sáp nhập vào:</translation>
    </message>
    <message>
        <source>New unit identifier:</source>
        <translation>Mã đơn vị mới:</translation>
    </message>
    <message>
        <source>New unit name:</source>
        <translation>Tên đơn vị mới:</translation>
    </message>
    <message>
        <source>From date:</source>
        <translation>Từ ngày:</translation>
    </message>
    <message>
        <source>Decision number:</source>
        <translation>Số quyết định:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>e.g. ktxh</source>
        <translation>ví dụ ktxh</translation>
    </message>
    <message>
        <source>e.g. Phòng Kinh tế - Xã hội</source>
        <translation>ví dụ Phòng Kinh tế - Xã hội</translation>
    </message>
    <message>
        <source>e.g. 15/NQ-HĐND</source>
        <translation>ví dụ 15/NQ-HĐND</translation>
    </message>
    <message>
        <source>Everyone and every sub-unit of the merged units moves; the merged units are closed and keep their history. Evaluators stay until new leaders are named; months already evaluated keep their unit and evaluator.</source>
        <translation>Toàn bộ công chức và đơn vị trực thuộc của các đơn vị được sáp nhập chuyển sang đơn vị mới; các đơn vị cũ được giải thể nhưng vẫn giữ lịch sử. Người đánh giá giữ nguyên cho đến khi có lãnh đạo mới; các tháng đã đánh giá vẫn gắn với đơn vị và người đánh giá cũ.</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Sáp nhập</translation>
    </message>
    <message>
        <source>{units} unit(s) chosen: {people} people will move.</source>
        <translation>Đã chọn {units} đơn vị: {people} người sẽ được chuyển.</translation>
    </message>
    <message>
        <source>Merged into {unit}: {people} people and {subunits} sub-units moved.</source>
        <translation>Đã sáp nhập vào {unit}: chuyển {people} người và {subunits} đơn vị trực thuộc.</translation>
    </message>
</context>
<context>
    <name>MonthPage</name>
    <message>
        <source>Month submission</source>
        <translation>Gửi kết quả tháng</translation>
    </message>
    <message>
        <source>Self-assessment of the month (Form 01)</source>
        <translation>Tự đánh giá của tháng (Mẫu số 01)</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>&amp;Tháng:</translation>
    </message>
    <message>
        <source>/ {max}</source>
        <translation>/ {max}</translation>
    </message>
    <message>
        <source>Task results of the month</source>
        <translation>Kết quả thực hiện nhiệm vụ của tháng</translation>
    </message>
    <message>
        <source>a / b / c:</source>
        <translation>a / b / c:</translation>
    </message>
    <message>
        <source>Task points (of 70):</source>
        <translation>Điểm kết quả thực hiện nhiệm vụ (tối đa 70):</translation>
    </message>
    <message>
        <source>General criteria (of 30):</source>
        <translation>Điểm tiêu chí chung (tối đa 30):</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>Tổng điểm:</translation>
    </message>
    <message>
        <source>Indicative level:</source>
        <translation>Mức tương ứng:</translation>
    </message>
    <message>
        <source>Entries:</source>
        <translation>Mục nhật ký:</translation>
    </message>
    <message>
        <source>&amp;Save self-scores</source>
        <translation>&amp;Lưu điểm tự chấm</translation>
    </message>
    <message>
        <source>Submit the month for &amp;review</source>
        <translation>&amp;Gửi tháng để đánh giá</translation>
    </message>
    <message>
        <source>After submission the self-scores can no longer be changed; your evaluator confirms them.</source>
        <translation>Sau khi gửi, điểm tự chấm không sửa được nữa; cấp có thẩm quyền đánh giá sẽ xác nhận.</translation>
    </message>
    <message>
        <source>Status of {month}: {status}</source>
        <translation>Trạng thái tháng {month}: {status}</translation>
    </message>
    <message>
        <source>submitted on {date}</source>
        <translation>gửi ngày {date}</translation>
    </message>
    <message>
        <source>confirmed general criteria: {points}</source>
        <translation>điểm tiêu chí chung được xác nhận: {points}</translation>
    </message>
    <message>
        <source>{confirmed} of {n} confirmed</source>
        <translation>đã xác nhận {confirmed}/{n}</translation>
    </message>
    <message>
        <source>{points} (your self-assessment)</source>
        <translation>{points} (điểm tự chấm)</translation>
    </message>
    <message>
        <source>insufficient data</source>
        <translation>chưa đủ dữ liệu</translation>
    </message>
    <message>
        <source>– (provisional)</source>
        <translation>– (tạm tính)</translation>
    </message>
    <message>
        <source>{month} is not over: {left} of its {total} working days are still ahead, and work logged on them will not be in what you submit now.</source>
        <translation>Tháng {month} chưa kết thúc: còn {left}/{total} ngày làm việc phía trước; công việc ghi trong những ngày đó sẽ không có trong kết quả gửi bây giờ.</translation>
    </message>
    <message>
        <source>{n} not submitted</source>
        <translation>{n} mục chưa gửi</translation>
    </message>
    <message>
        <source>{n} waiting for the leader</source>
        <translation>{n} mục chờ lãnh đạo xác nhận</translation>
    </message>
    <message>
        <source>{n} returned to be fixed</source>
        <translation>{n} mục bị trả lại cần sửa</translation>
    </message>
    <message>
        <source>Not every entry is confirmed ({parts}): only confirmed entries count in the score.</source>
        <translation>Còn mục chưa được xác nhận ({parts}): chỉ mục đã được xác nhận mới được tính điểm.</translation>
    </message>
    <message>
        <source>Score every criterion before submitting ({n} not scored yet: {names}). Type 0 where none of the points is earned.</source>
        <translation>Cần chấm điểm đủ mọi tiêu chí trước khi gửi (còn {n} tiêu chí chưa chấm: {names}). Tiêu chí không đạt điểm nào thì nhập 0.</translation>
    </message>
    <message>
        <source>Submit the month</source>
        <translation>Gửi kết quả tháng</translation>
    </message>
    <message>
        <source>Submit {month} of {person} for review? The self-scores can no longer be changed afterwards.</source>
        <translation>Gửi kết quả tháng {month} của {person} để đánh giá? Sau khi gửi, không sửa được điểm tự chấm nữa.</translation>
    </message>
    <message>
        <source>&amp;Submit the month</source>
        <translation>&amp;Gửi kết quả tháng</translation>
    </message>
    <message>
        <source>{month} of {person} is submitted for {evaluator}&apos;s review; it reaches them with the next USB copy or synchronisation.</source>
        <translation>Đã nộp kết quả tháng {month} của {person} để {evaluator} đánh giá; kết quả đến lãnh đạo trong lần chép USB hoặc đồng bộ tới.</translation>
    </message>
    <message>
        <source>the evaluator</source>
        <translation>người đánh giá</translation>
    </message>
    <message>
        <source>Self-scores of {person} for {month} saved.</source>
        <translation>Đã lưu điểm tự chấm tháng {month} của {person}.</translation>
    </message>
</context>
<context>
    <name>MonthStatus</name>
    <message>
        <source>not submitted</source>
        <translation>chưa gửi</translation>
    </message>
    <message>
        <source>submitted, not confirmed</source>
        <translation>đã gửi, chưa xác nhận</translation>
    </message>
    <message>
        <source>confirmed by the evaluator</source>
        <translation>đã được người đánh giá xác nhận</translation>
    </message>
    <message>
        <source>confirmed, period locked</source>
        <translation>đã xác nhận, đã khóa kỳ</translation>
    </message>
</context>
<context>
    <name>MonthlyEvaluationPage</name>
    <message>
        <source>Monthly evaluation</source>
        <translation>Đánh giá hằng tháng</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>Tháng:</translation>
    </message>
    <message>
        <source>Confirm all submitted self-assessments</source>
        <translation>Xác nhận tất cả phiếu tự đánh giá đã gửi</translation>
    </message>
    <message>
        <source>Acting evaluator…</source>
        <translation>Người đánh giá thay…</translation>
    </message>
    <message>
        <source>Let a colleague evaluate your people for a date range (recorded and audited).</source>
        <translation>Ủy quyền cho đồng nghiệp đánh giá thay trong một khoảng thời gian (được ghi lại và kiểm tra).</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>provisional</source>
        <translation>tạm tính (tháng chưa kết thúc)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Self-assessed</source>
        <translation>Tự chấm</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Được xác nhận</translation>
    </message>
    <message>
        <source>Task points</source>
        <translation>Điểm nhiệm vụ</translation>
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
        <source>Form 01</source>
        <translation>Phiếu theo dõi, đánh giá (Mẫu số 01)</translation>
    </message>
    <message>
        <source>General criteria</source>
        <translation>Tiêu chí chung</translation>
    </message>
    <message>
        <source>Self</source>
        <translation>Tự chấm</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>d — unit performance result (from the staff&apos;s scores)</source>
        <translation>d — kết quả hoạt động của cơ quan, đơn vị (theo điểm của công chức)</translation>
    </message>
    <message>
        <source>đ — capacity to organise implementation</source>
        <translation>đ — khả năng tổ chức triển khai thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>e — capacity to rally and unite staff</source>
        <translation>e — năng lực tập hợp, đoàn kết</translation>
    </message>
    <message>
        <source>Comment (required when you change the points)</source>
        <translation>Nhận xét (bắt buộc khi thay đổi điểm)</translation>
    </message>
    <message>
        <source>Confirm and lock the month</source>
        <translation>Xác nhận và khóa kỳ</translation>
    </message>
    <message>
        <source>Unlock…</source>
        <translation>Mở khóa…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>{name} acts for you {start} – {end}</source>
        <translation>{name} đánh giá thay từ {start} đến {end}</translation>
    </message>
    <message>
        <source>{date}: {who} {action} {reason}</source>
        <translation>{date}: {who} {action} {reason}</translation>
    </message>
    <message>
        <source>The month {month} of {name} is confirmed and locked.</source>
        <translation>Đã xác nhận và khóa tháng {month} của {name}.</translation>
    </message>
    <message>
        <source>Acting evaluator recorded: {name}, {start} – {end}.</source>
        <translation>Đã ghi nhận người đánh giá thay: {name}, {start} – {end}.</translation>
    </message>
    <message>
        <source>No submitted self-assessment waits in {month}.</source>
        <translation>Tháng {month} không có phiếu tự đánh giá nào đang chờ.</translation>
    </message>
    <message>
        <source>Confirm all</source>
        <translation>Xác nhận tất cả</translation>
    </message>
    <message>
        <source>Confirm and lock the month {month} of {n} people as they assessed themselves: {names}?</source>
        <translation>Xác nhận và khóa tháng {month} của {n} người theo đúng điểm tự đánh giá: {names}?</translation>
    </message>
    <message>
        <source>insufficient data</source>
        <translation>chưa đủ dữ liệu</translation>
    </message>
    <message>
        <source>a {a} %, b {b} %, c {c} % → task points {tp} of 70</source>
        <translation>a {a}%, b {b}%, c {c}% → điểm kết quả thực hiện nhiệm vụ {tp}/70</translation>
    </message>
    <message>
        <source>{kind} — decision {no} of {date} ({authority}); {counts}</source>
        <translation>{kind} — quyết định số {no} ngày {date} ({authority}); {counts}</translation>
    </message>
    <message>
        <source>Discipline this year (Article 20.4):</source>
        <translation>Kỷ luật trong năm (khoản 4 Điều 20):</translation>
    </message>
    <message>
        <source>General criteria: {points} of 30</source>
        <translation>Tiêu chí chung: {points}/30 điểm</translation>
    </message>
    <message>
        <source>Unlock the month</source>
        <translation>Mở khóa kỳ</translation>
    </message>
    <message>
        <source>Why must this month be reopened? The reason is kept in the audit log.</source>
        <translation>Vì sao cần mở lại tháng này? Lý do được lưu trong nhật ký thao tác.</translation>
    </message>
    <message>
        <source>The month {month} of {name} is open again.</source>
        <translation>Đã mở lại tháng {month} của {name}.</translation>
    </message>
    <message>
        <source>Acting evaluator</source>
        <translation>Người đánh giá thay</translation>
    </message>
    <message>
        <source>{n} months confirmed and locked.</source>
        <translation>Đã xác nhận và khóa kỳ {n} phiếu.</translation>
    </message>
    <message>
        <source>{n} skipped, e.g. {reason}</source>
        <translation>Bỏ qua {n} phiếu, ví dụ: {reason}</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <source>{n} entry was returned to be fixed:</source>
        <translation>{n} mục bị trả lại cần sửa:</translation>
    </message>
    <message>
        <source>{n} entries were returned to be fixed:</source>
        <translation>{n} mục bị trả lại cần sửa:</translation>
    </message>
    <message>
        <source>{code} of {date}</source>
        <translation>{code} ngày {date}</translation>
    </message>
    <message>
        <source>{leader}: “{reason}”</source>
        <translation>{leader}: “{reason}”</translation>
    </message>
    <message>
        <source>the leader</source>
        <translation>lãnh đạo</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>và {n} mục khác</translation>
    </message>
    <message>
        <source>{n} entry was confirmed since your last sign-in.</source>
        <translation>{n} mục đã được xác nhận từ lần đăng nhập trước.</translation>
    </message>
    <message>
        <source>{n} entries were confirmed since your last sign-in.</source>
        <translation>{n} mục đã được xác nhận từ lần đăng nhập trước.</translation>
    </message>
    <message>
        <source>See the score</source>
        <translation>Xem điểm</translation>
    </message>
    <message>
        <source>{n} entry waits for your review</source>
        <translation>{n} mục chờ đồng chí xác nhận</translation>
    </message>
    <message>
        <source>{n} entries wait for your review</source>
        <translation>{n} mục chờ đồng chí xác nhận</translation>
    </message>
    <message>
        <source>, {n} of them overdue</source>
        <translation>, {n} mục quá hạn</translation>
    </message>
    <message>
        <source>Open the review inbox</source>
        <translation>Mở trang Việc chờ xác nhận</translation>
    </message>
    <message>
        <source>{n} month was submitted for your evaluation.</source>
        <translation>{n} tháng đã được gửi chờ đồng chí đánh giá.</translation>
    </message>
    <message>
        <source>{n} months were submitted for your evaluation.</source>
        <translation>{n} tháng đã được gửi chờ đồng chí đánh giá.</translation>
    </message>
    <message>
        <source>Open the monthly evaluation</source>
        <translation>Mở đánh giá hằng tháng</translation>
    </message>
    <message>
        <source>The agency has not published your key yet: leaders cannot check what you sign until it does.</source>
        <translation>Cơ quan chưa công bố khóa của đồng chí: trước khi khóa được công bố, lãnh đạo chưa kiểm tra được chữ ký của đồng chí.</translation>
    </message>
    <message>
        <source>Save the request to USB…</source>
        <translation>Lưu đề nghị vào USB…</translation>
    </message>
    <message>
        <source>Hide this bar until something new happens</source>
        <translation>Ẩn thanh này cho đến khi có việc mới</translation>
    </message>
</context>
<context>
    <name>ObjectiveCauseDialog</name>
    <message>
        <source>Objective cause</source>
        <translation>Nguyên nhân khách quan</translation>
    </message>
    <message>
        <source>Which confirmed objective cause exempts this entry, and from which deduction?</source>
        <translation>Nguyên nhân khách quan nào đã được xác nhận, và miễn trừ điểm nào của mục này?</translation>
    </message>
    <message>
        <source>&amp;Quality: its major content errors are not deducted (Article 14.2(b))</source>
        <translation>&amp;Chất lượng: không trừ điểm sai sót lớn về nội dung (điểm b khoản 2 Điều 14)</translation>
    </message>
    <message>
        <source>&amp;Timeliness: its delays are not deducted (Article 14.2(c))</source>
        <translation>&amp;Tiến độ: không trừ điểm các lần chậm (điểm c khoản 2 Điều 14)</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <source>Not done</source>
        <translation>Chưa thực hiện được</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
</context>
<context>
    <name>OrgEval</name>
    <message>
        <source>Organisation evaluation {year} — {unit}</source>
        <translation>Đánh giá, xếp loại chất lượng tổ chức năm {year} — {unit}</translation>
    </message>
    <message>
        <source>Computed level: {level}</source>
        <translation>Mức xếp loại theo chỉ số: {level}</translation>
    </message>
    <message>
        <source>Recorded: {level}, decision {no} of {date}</source>
        <translation>Đã quyết định: {level}, quyết định số {no} ngày {date}</translation>
    </message>
</context>
<context>
    <name>OrgEvaluationPage</name>
    <message>
        <source>Organisation evaluation</source>
        <translation>Đánh giá, xếp loại chất lượng tổ chức</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>Năm:</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Nhập CSV…</translation>
    </message>
    <message>
        <source>A CSV file with the columns unit, period, code, value (and optionally source); the whole file is refused if one row is wrong.</source>
        <translation>Tệp CSV có các cột “unit”, “period”, “code”, “value” (có thể thêm cột “source”); chỉ cần một dòng sai là cả tệp bị từ chối.</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>By the indicators</source>
        <translation>Theo chỉ số</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Đã quyết định</translation>
    </message>
    <message>
        <source>Indicators</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Chỉ số</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Thêm…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <source>Level by the indicators (Article 8)</source>
        <translation>Mức xếp loại theo chỉ số (Điều 8)</translation>
    </message>
    <message>
        <source>Decision of the competent authority</source>
        <translation>Quyết định của cấp có thẩm quyền</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mức xếp loại</translation>
    </message>
    <message>
        <source>Decision number</source>
        <translation>Số quyết định</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>Ngày quyết định</translation>
    </message>
    <message>
        <source>Note (needed for another level)</source>
        <translation>Ghi chú (bắt buộc nếu khác mức tính được)</translation>
    </message>
    <message>
        <source>Record the decision</source>
        <translation>Ghi quyết định</translation>
    </message>
    <message>
        <source>not enough data</source>
        <translation>chưa đủ dữ liệu</translation>
    </message>
    <message>
        <source>Excellent quota of the organisations (Article 8.5): {excellent} rated Excellent, {limit} allowed — the approver decides.</source>
        <translation>Tỷ lệ tổ chức Hoàn thành xuất sắc nhiệm vụ (khoản 5 Điều 8): {excellent} tổ chức, được phép {limit} — cấp có thẩm quyền quyết định.</translation>
    </message>
    <message>
        <source>Select a unit.</source>
        <translation>Chọn một đơn vị.</translation>
    </message>
    <message>
        <source>Indicators of {unit}, {year}</source>
        <translation>Chỉ số của {unit}, năm {year}</translation>
    </message>
    <message>
        <source>Not enough data: enter the missing indicators.</source>
        <translation>Chưa đủ dữ liệu: hãy nhập các chỉ số còn thiếu.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{level}&lt;/b&gt; — total {score} of 100</source>
        <translation>&lt;b&gt;{level}&lt;/b&gt; — tổng {score}/100 điểm</translation>
    </message>
    <message>
        <source>The competent authority weighs this case itself.</source>
        <translation>Trường hợp này do cấp có thẩm quyền xem xét, quyết định.</translation>
    </message>
    <message>
        <source>The head ({heads}) cannot be rated above the organisation&apos;s decided level (Article 20.6).</source>
        <translation>Người đứng đầu ({heads}) không được xếp loại cao hơn mức xếp loại của tổ chức (khoản 6 Điều 20).</translation>
    </message>
    <message>
        <source>Decided: {level}, decision {no} of {date}</source>
        <translation>Đã quyết định: {level}, quyết định số {no} ngày {date}</translation>
    </message>
    <message>
        <source>No decision recorded yet.</source>
        <translation>Chưa có quyết định.</translation>
    </message>
    <message>
        <source>(Only the competent authority records the decision.)</source>
        <translation>(Chỉ cấp có thẩm quyền ghi quyết định.)</translation>
    </message>
    <message>
        <source>Indicator saved.</source>
        <translation>Đã lưu chỉ số.</translation>
    </message>
    <message>
        <source>Import organisation indicators</source>
        <translation>Nhập chỉ số của cơ quan, tổ chức</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>Import CSV</source>
        <translation>Nhập CSV</translation>
    </message>
    <message>
        <source>{n} indicator values imported.</source>
        <translation>Đã nhập {n} giá trị chỉ số.</translation>
    </message>
    <message>
        <source>Decision recorded.</source>
        <translation>Đã ghi quyết định.</translation>
    </message>
</context>
<context>
    <name>OrgIndicator</name>
    <message>
        <source>General criteria (points, max 30)</source>
        <translation>Tiêu chí chung (điểm, tối đa 30)</translation>
    </message>
    <message>
        <source>Task-performance criteria (points, max 70)</source>
        <translation>Tiêu chí về kết quả thực hiện nhiệm vụ (điểm, tối đa 70)</translation>
    </message>
    <message>
        <source>Tasks of the plan completed (%)</source>
        <translation>Tỷ lệ nhiệm vụ theo kế hoạch đã hoàn thành (%)</translation>
    </message>
    <message>
        <source>Tasks completed on time (%)</source>
        <translation>Tỷ lệ nhiệm vụ hoàn thành đúng thời hạn (%)</translation>
    </message>
    <message>
        <source>Tasks done beyond requirements (%)</source>
        <translation>Tỷ lệ nhiệm vụ hoàn thành vượt mức yêu cầu (%)</translation>
    </message>
    <message>
        <source>Earlier shortcomings all fixed (1 = yes, 0 = no)</source>
        <translation>Đã khắc phục toàn bộ hạn chế, khuyết điểm kỳ trước (1 = có, 0 = không)</translation>
    </message>
    <message>
        <source>Concluded wrongdoing in personnel work or disunity (1 = yes)</source>
        <translation>Bị kết luận có sai phạm trong công tác cán bộ, mất đoàn kết nội bộ (1 = có)</translation>
    </message>
    <message>
        <source>Force majeure recognised (1 = yes)</source>
        <translation>Có lý do bất khả kháng (1 = có)</translation>
    </message>
    <message>
        <source>Administrative files resolved on time (%)</source>
        <translation>Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn (%)</translation>
    </message>
    <message>
        <source>Procedures handled online (%)</source>
        <translation>Tỷ lệ hồ sơ xử lý trực tuyến (%)</translation>
    </message>
    <message>
        <source>Citizen and business satisfaction (%)</source>
        <translation>Mức độ hài lòng của người dân, doanh nghiệp (%)</translation>
    </message>
</context>
<context>
    <name>OrgWhy</name>
    <message>
        <source>Total {score} = general {general} + tasks {task} → band {band} (Article 8)</source>
        <translation>Tổng {score} = tiêu chí chung {general} + kết quả thực hiện nhiệm vụ {task} → khung {band} (Điều 8)</translation>
    </message>
    <message>
        <source>Not entered: {name}</source>
        <translation>Chưa nhập: {name}</translation>
    </message>
    <message>
        <source>Wrongdoing in personnel work or disunity concluded → Unsatisfactory (Article 8.4a)</source>
        <translation>Bị kết luận có sai phạm trong công tác cán bộ hoặc mất đoàn kết → Không hoàn thành nhiệm vụ (điểm a khoản 4 Điều 8)</translation>
    </message>
    <message>
        <source>Total under {threshold} → Unsatisfactory (Article 8.4)</source>
        <translation>Tổng điểm dưới {threshold} → Không hoàn thành nhiệm vụ (khoản 4 Điều 8)</translation>
    </message>
    <message>
        <source>Only {value} % of the plan completed, under {minimum} % → Unsatisfactory (Article 8.4b)</source>
        <translation>Chỉ hoàn thành {value}% nhiệm vụ theo kế hoạch, dưới {minimum}% → Không hoàn thành nhiệm vụ (điểm b khoản 4 Điều 8)</translation>
    </message>
    <message>
        <source>Force majeure recorded: the competent authority weighs the case and decides (Article 8.4b)</source>
        <translation>Có lý do bất khả kháng: cấp có thẩm quyền xem xét, quyết định (điểm b khoản 4 Điều 8)</translation>
    </message>
    <message>
        <source>Not {level}: {value} % of the tasks completed, 100 % needed</source>
        <translation>Chưa đạt {level}: hoàn thành {value}% nhiệm vụ, cần 100%</translation>
    </message>
    <message>
        <source>Not {level}: {value} % of the tasks on time, 100 % needed</source>
        <translation>Chưa đạt {level}: {value}% nhiệm vụ đúng thời hạn, cần 100%</translation>
    </message>
    <message>
        <source>Not {level}: {value} % of the tasks behind schedule, at most {maximum} % allowed (Article 8.3)</source>
        <translation>Chưa đạt {level}: {value}% nhiệm vụ chưa bảo đảm tiến độ, tối đa {maximum}% (khoản 3 Điều 8)</translation>
    </message>
    <message>
        <source>Not {level}: {value} % of the tasks beyond requirements, at least {minimum} % needed (Article 8.1a)</source>
        <translation>Chưa đạt {level}: {value}% nhiệm vụ vượt mức yêu cầu, cần ít nhất {minimum}% (điểm a khoản 1 Điều 8)</translation>
    </message>
    <message>
        <source>Not {level}: {count} directly subordinate unit(s) rated Unsatisfactory (Article 8.1b)</source>
        <translation>Chưa đạt {level}: có {count} đơn vị cấp dưới trực tiếp xếp loại Không hoàn thành nhiệm vụ (điểm b khoản 1 Điều 8)</translation>
    </message>
    <message>
        <source>Not {level}: earlier shortcomings not all fixed, or not entered (Article 8.1c)</source>
        <translation>Chưa đạt {level}: chưa khắc phục hết hạn chế, khuyết điểm hoặc chưa nhập (điểm c khoản 1 Điều 8)</translation>
    </message>
    <message>
        <source>Every condition of {level} is met</source>
        <translation>Đáp ứng mọi điều kiện của mức {level}</translation>
    </message>
    <message>
        <source>No level&apos;s conditions are met and the decree does not say what follows: Unsatisfactory is proposed, the competent authority decides</source>
        <translation>Không đáp ứng điều kiện của mức nào và Nghị định không quy định trường hợp này: đề xuất Không hoàn thành nhiệm vụ, cấp có thẩm quyền quyết định</translation>
    </message>
    <message>
        <source>Reported: {name} = {value} (feeds the task points, Article 7)</source>
        <translation>Theo dõi: {name} = {value} (làm căn cứ chấm tiêu chí kết quả thực hiện nhiệm vụ, Điều 7)</translation>
    </message>
</context>
<context>
    <name>OrganisationChangesButton</name>
    <message>
        <source>Organisation changes…</source>
        <translation>Thay đổi tổ chức…</translation>
    </message>
    <message>
        <source>Transfer a person…</source>
        <translation>Điều động công chức…</translation>
    </message>
    <message>
        <source>Merge units…</source>
        <translation>Sáp nhập đơn vị…</translation>
    </message>
</context>
<context>
    <name>OrganisationPage</name>
    <message>
        <source>Organisation</source>
        <translation>Tổ chức</translation>
    </message>
    <message>
        <source>Units of the organisation</source>
        <translation>Các đơn vị của tổ chức</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Name (&amp;Vietnamese):</source>
        <translation>Tên (tiếng &amp;Việt):</translation>
    </message>
    <message>
        <source>Name (&amp;English):</source>
        <translation>Tên (tiếng &amp;Anh):</translation>
    </message>
    <message>
        <source>Co&amp;de:</source>
        <translation>&amp;Mã:</translation>
    </message>
    <message>
        <source>Name (E&amp;nglish):</source>
        <translation>Tên (tiếng An&amp;h):</translation>
    </message>
    <message>
        <source>&amp;Close the unit</source>
        <translation>&amp;Giải thể đơn vị</translation>
    </message>
    <message>
        <source>&amp;Rename the chosen unit</source>
        <translation>Đổi tên đơn vị đang &amp;chọn</translation>
    </message>
    <message>
        <source>Name of the chosen unit</source>
        <translation>Tên của đơn vị đang chọn</translation>
    </message>
    <message>
        <source>New unit under the chosen unit</source>
        <translation>Đơn vị mới trực thuộc đơn vị đang chọn</translation>
    </message>
    <message>
        <source>N&amp;ame (Vietnamese):</source>
        <translation>Tên (tiếng Việt):</translation>
    </message>
    <message>
        <source>for example Phòng Kinh tế</source>
        <translation>ví dụ Phòng Kinh tế</translation>
    </message>
    <message>
        <source>Add the ne&amp;w unit</source>
        <translation>&amp;Thêm đơn vị mới</translation>
    </message>
    <message>
        <source>Move or close the chosen unit</source>
        <translation>Chuyển hoặc giải thể đơn vị đang chọn</translation>
    </message>
    <message>
        <source>&amp;Move under</source>
        <translation>Ch&amp;uyển vào</translation>
    </message>
    <message>
        <source>Only a unit without people and open sub-units can be closed; it stays in the history.</source>
        <translation>Chỉ giải thể được đơn vị không còn người và đơn vị trực thuộc đang hoạt động; đơn vị vẫn được lưu trong lịch sử.</translation>
    </message>
    <message>
        <source>open</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>đã giải thể</translation>
    </message>
    <message>
        <source>Unit “{name}” added.</source>
        <translation>Đã thêm đơn vị “{name}”.</translation>
    </message>
    <message>
        <source>Unit renamed to “{name}”.</source>
        <translation>Đã đổi tên đơn vị thành “{name}”.</translation>
    </message>
    <message>
        <source>“{name}” moved.</source>
        <translation>Đã chuyển “{name}”.</translation>
    </message>
    <message>
        <source>“{name}” closed.</source>
        <translation>Đã giải thể “{name}”.</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <source>The two passphrases are not the same: type it again.</source>
        <translation>Hai mật khẩu không giống nhau: hãy nhập lại.</translation>
    </message>
    <message>
        <source>Your passphrase</source>
        <translation>Mật khẩu của người sử dụng</translation>
    </message>
    <message>
        <source>It protects your personal key, which signs the work you send to your leader.</source>
        <translation>Mật khẩu bảo vệ khóa cá nhân, dùng để ký các kết quả công việc gửi lãnh đạo.</translation>
    </message>
    <message>
        <source>Every demo person&apos;s passphrase is &quot;demo&quot;. Type a new passphrase of at least {minimum} characters to replace yours, or leave both fields empty to keep &quot;demo&quot;.</source>
        <translation>Mật khẩu của mọi người trong dữ liệu mẫu là &quot;demo&quot;. Nhập mật khẩu mới có ít nhất {minimum} ký tự để thay mật khẩu này, hoặc để trống cả hai ô để giữ &quot;demo&quot;.</translation>
    </message>
    <message>
        <source>Choose a passphrase of at least {minimum} characters that others cannot guess, and keep it to yourself. If it is forgotten, a new key must be made and published by the agency.</source>
        <translation>Hãy chọn mật khẩu có ít nhất {minimum} ký tự mà người khác không đoán được, và giữ bí mật. Nếu quên mật khẩu, phải tạo khóa mới và đề nghị cơ quan công bố lại.</translation>
    </message>
    <message>
        <source>You: {name}</source>
        <translation>Người sử dụng: {name}</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Mật khẩu:</translation>
    </message>
    <message>
        <source>&amp;Repeat it:</source>
        <translation>Nhập &amp;lại:</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>People</source>
        <translation>Cán bộ, công chức</translation>
    </message>
    <message>
        <source>People of the organisation</source>
        <translation>Cán bộ, công chức của tổ chức</translation>
    </message>
    <message>
        <source>Search by name, identifier or unit…</source>
        <translation>Tìm theo tên, mã hoặc đơn vị…</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <source>Im&amp;port staff list…</source>
        <translation>Nhập &amp;danh sách công chức…</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Thông tin công chức</translation>
    </message>
    <message>
        <source>&amp;Identifier:</source>
        <translation>&amp;Mã:</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>Đơn &amp;vị:</translation>
    </message>
    <message>
        <source>&amp;Job position:</source>
        <translation>Vị trí việc &amp;làm:</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>V&amp;ai trò:</translation>
    </message>
    <message>
        <source>Fro&amp;m:</source>
        <translation>Từ ngà&amp;y:</translation>
    </message>
    <message>
        <source>The day the person joins, or moves to another unit.</source>
        <translation>Ngày người đó bắt đầu làm việc hoặc chuyển sang đơn vị khác.</translation>
    </message>
    <message>
        <source>&amp;New person</source>
        <translation>&amp;Thêm người mới</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Lư&amp;u</translation>
    </message>
    <message>
        <source>Full n&amp;ame:</source>
        <translation>&amp;Họ và tên:</translation>
    </message>
    <message>
        <source>Left the o&amp;rganisation…</source>
        <translation>Rời cơ &amp;quan, đơn vị…</translation>
    </message>
    <message>
        <source>Si&amp;ck, maternity, unpaid leave…</source>
        <translation>Nghỉ ốm, thai &amp;sản, nghỉ không lương…</translation>
    </message>
    <message>
        <source>End the membership and evaluator relations on the last day and revoke the key; the history is kept.</source>
        <translation>Kết thúc việc thuộc đơn vị và các quan hệ đánh giá vào ngày làm việc cuối cùng, thu hồi khóa; lịch sử vẫn được lưu giữ.</translation>
    </message>
    <message>
        <source>&amp;Enrol from request file…</source>
        <translation>&amp;Công bố khóa từ tệp yêu cầu…</translation>
    </message>
    <message>
        <source>Re&amp;voke key…</source>
        <translation>Thu hồi &amp;khóa…</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(không có)</translation>
    </message>
    <message>
        <source>{role}; left on {date}</source>
        <translation>{role}; đã nghỉ, ngày làm việc cuối {date}</translation>
    </message>
    <message>
        <source>Published key: {fingerprint}</source>
        <translation>Khóa đã công bố: {fingerprint}</translation>
    </message>
    <message>
        <source>No published key: enrol the request file the person made on their PC.</source>
        <translation>Chưa có khóa được công bố: hãy công bố tệp yêu cầu mà người đó tạo trên máy của họ.</translation>
    </message>
    <message>
        <source>Left the organisation on {date}; key revoked.</source>
        <translation>Đã rời cơ quan, đơn vị (ngày làm việc cuối cùng {date}); khóa đã bị thu hồi.</translation>
    </message>
    <message>
        <source>{name} added.</source>
        <translation>Đã thêm {name}.</translation>
    </message>
    <message>
        <source>{name} saved.</source>
        <translation>Đã lưu {name}.</translation>
    </message>
    <message>
        <source>Staff list</source>
        <translation>Danh sách công chức</translation>
    </message>
    <message>
        <source>Staff lists (*.csv *.xlsx);;All files (*)</source>
        <translation>Danh sách công chức (*.csv *.xlsx);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Staff list imported: {added} people added, {updated} changed, {units} units and {positions} job positions added, {relations} evaluator relations set.</source>
        <translation>Đã nhập danh sách công chức: thêm {added} người, sửa {updated} người, thêm {units} đơn vị và {positions} vị trí việc làm, đặt {relations} quan hệ đánh giá.</translation>
    </message>
    <message>
        <source>Enrolment request</source>
        <translation>Yêu cầu đăng ký khóa</translation>
    </message>
    <message>
        <source>Enrolment requests (*.json);;All files (*)</source>
        <translation>Yêu cầu đăng ký khóa (*.json);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Key {fingerprint} of {person} enrolled; publish the organisation to send it out.</source>
        <translation>Đã công bố khóa {fingerprint} của {person}; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
    <message>
        <source>{name} left the organisation on {date}; publish the organisation to send it out.</source>
        <translation>{name} đã rời cơ quan, đơn vị (ngày làm việc cuối cùng {date}); hãy phát hành tệp tổ chức để gửi thông tin này đi.</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Thu hồi khóa</translation>
    </message>
    <message>
        <source>Why is the key revoked (lost PC, forgotten passphrase, left the agency…)?</source>
        <translation>Lý do thu hồi khóa (mất máy, quên mật khẩu, nghỉ việc…)?</translation>
    </message>
    <message>
        <source>Key revoked; publish the organisation to send it out.</source>
        <translation>Đã thu hồi khóa; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
</context>
<context>
    <name>Period</name>
    <message>
        <source>{month}/{year}</source>
        <translation>{month}/{year}</translation>
    </message>
    <message>
        <source>Quarter {n}/{year}</source>
        <translation>Quý {n}/{year}</translation>
    </message>
    <message>
        <source>First half of {year}</source>
        <translation>6 tháng đầu năm {year}</translation>
    </message>
    <message>
        <source>Second half of {year}</source>
        <translation>6 tháng cuối năm {year}</translation>
    </message>
    <message>
        <source>Year {year}</source>
        <translation>Năm {year}</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>Quý</translation>
    </message>
    <message>
        <source>Half year</source>
        <translation>6 tháng</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
</context>
<context>
    <name>PeriodText</name>
    <message>
        <source>{month}/{year}</source>
        <translation>tháng {month}/{year}</translation>
    </message>
    <message>
        <source>quarter {quarter}/{year}</source>
        <translation>quý {quarter}/{year}</translation>
    </message>
    <message>
        <source>first half of {year}</source>
        <translation>6 tháng đầu năm {year}</translation>
    </message>
    <message>
        <source>second half of {year}</source>
        <translation>6 tháng cuối năm {year}</translation>
    </message>
    <message>
        <source>year {year}</source>
        <translation>năm {year}</translation>
    </message>
</context>
<context>
    <name>PersonPage</name>
    <message>
        <source>Who are you?</source>
        <translation>Chọn người sử dụng</translation>
    </message>
    <message>
        <source>Choose yourself in the list of the organisation&apos;s people.</source>
        <translation>Chọn tên mình trong danh sách cán bộ, công chức của cơ quan.</translation>
    </message>
    <message>
        <source>Several people may share this computer: each signs in with their own passphrase.</source>
        <translation>Nhiều người có thể dùng chung máy tính này: mỗi người đăng nhập bằng mật khẩu riêng.</translation>
    </message>
    <message>
        <source>Search by name…</source>
        <translation>Tìm theo tên…</translation>
    </message>
</context>
<context>
    <name>Policy</name>
    <message>
        <source>General criteria maximum (points)</source>
        <translation>Điểm tối đa tiêu chí chung</translation>
    </message>
    <message>
        <source>Task-performance maximum (points)</source>
        <translation>Điểm tối đa kết quả thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>Excellent from (points)</source>
        <translation>Hoàn thành xuất sắc nhiệm vụ: từ (điểm)</translation>
    </message>
    <message>
        <source>Good from (points)</source>
        <translation>Hoàn thành tốt nhiệm vụ: từ (điểm)</translation>
    </message>
    <message>
        <source>Satisfactory from (points)</source>
        <translation>Hoàn thành nhiệm vụ: từ (điểm)</translation>
    </message>
    <message>
        <source>Quality deduction per major error</source>
        <translation>Trừ chất lượng mỗi sai sót lớn</translation>
    </message>
    <message>
        <source>Timeliness deduction per delay</source>
        <translation>Trừ tiến độ mỗi lần chậm tiến độ</translation>
    </message>
    <message>
        <source>Cap a, b and c at 100 % each</source>
        <translation>Giới hạn a, b, c tối đa 100%</translation>
    </message>
    <message>
        <source>Round to 2 decimals before comparing</source>
        <translation>Làm tròn 2 chữ số thập phân trước khi so sánh</translation>
    </message>
    <message>
        <source>Evaluation period</source>
        <translation>Kỳ đánh giá</translation>
    </message>
    <message>
        <source>monthly</source>
        <translation>hằng tháng</translation>
    </message>
    <message>
        <source>quarterly</source>
        <translation>hằng quý</translation>
    </message>
    <message>
        <source>Months worked needed for classification</source>
        <translation>Số tháng công tác tối thiểu để xếp loại</translation>
    </message>
    <message>
        <source>Excellent quota (share of Good)</source>
        <translation>Tỷ lệ hoàn thành xuất sắc (so với số hoàn thành tốt)</translation>
    </message>
    <message>
        <source>Excellent quota by exception</source>
        <translation>Tỷ lệ hoàn thành xuất sắc trường hợp đặc biệt</translation>
    </message>
    <message>
        <source>Base of the quota</source>
        <translation>Căn cứ tính tỷ lệ</translation>
    </message>
    <message>
        <source>those rated Good (literal reading)</source>
        <translation>số hoàn thành tốt (đúng văn bản)</translation>
    </message>
    <message>
        <source>those rated Good or above</source>
        <translation>số hoàn thành tốt trở lên</translation>
    </message>
    <message>
        <source>Review limit (working days)</source>
        <translation>Thời hạn xác nhận (ngày làm việc)</translation>
    </message>
    <message>
        <source>Daily norm time (minutes)</source>
        <translation>Định mức thời gian mỗi ngày (phút)</translation>
    </message>
    <message>
        <source>Bonus per working day early</source>
        <translation>Điểm thưởng mỗi ngày làm việc trước hạn</translation>
    </message>
    <message>
        <source>Maximum early bonus</source>
        <translation>Điểm thưởng trước hạn tối đa</translation>
    </message>
    <message>
        <source>Work-log deduction per delay</source>
        <translation>Điểm trừ nhật ký mỗi lần chậm tiến độ</translation>
    </message>
    <message>
        <source>Points of the standard work unit</source>
        <translation>Điểm của đơn vị sản phẩm/công việc chuẩn</translation>
    </message>
    <message>
        <source>Organisation rated Excellent: share of tasks beyond requirements, at least</source>
        <translation>Tổ chức hoàn thành xuất sắc: tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu</translation>
    </message>
    <message>
        <source>Organisation rated Satisfactory: share of tasks behind schedule, at most</source>
        <translation>Tổ chức hoàn thành nhiệm vụ: tỷ lệ nhiệm vụ chậm tiến độ tối đa</translation>
    </message>
    <message>
        <source>Organisation below this share of its plan: Unsatisfactory</source>
        <translation>Tổ chức hoàn thành dưới tỷ lệ kế hoạch này: không hoàn thành nhiệm vụ</translation>
    </message>
    <message>
        <source>Scale and levels</source>
        <translation>Thang điểm và mức xếp loại</translation>
    </message>
    <message>
        <source>Task-performance criteria</source>
        <translation>Tiêu chí về kết quả thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>Periods and classification</source>
        <translation>Kỳ đánh giá và xếp loại</translation>
    </message>
    <message>
        <source>Quota of Excellent</source>
        <translation>Tỷ lệ hoàn thành xuất sắc nhiệm vụ</translation>
    </message>
    <message>
        <source>Work log and reviews</source>
        <translation>Nhật ký công việc và xác nhận</translation>
    </message>
    <message>
        <source>Organisation levels (Article 8)</source>
        <translation>Xếp loại tổ chức (Điều 8)</translation>
    </message>
    <message>
        <source>Complexity factors (levels 1, 2, …)</source>
        <translation>Hệ số độ phức tạp (mức 1, 2, …)</translation>
    </message>
    <message>
        <source>local rule (not set by the decree)</source>
        <translation>quy định của địa phương (Nghị định không quy định)</translation>
    </message>
    <message>
        <source>Article {article}</source>
        <translation>Điều {article}</translation>
    </message>
    <message>
        <source>Article {article}.{clause}</source>
        <translation>khoản {clause} Điều {article}</translation>
    </message>
    <message>
        <source>Article {article}.{clause}({point})</source>
        <translation>điểm {point} khoản {clause} Điều {article}</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
</context>
<context>
    <name>PolicyPage</name>
    <message>
        <source>Scoring policy</source>
        <translation>Quy tắc chấm điểm</translation>
    </message>
    <message>
        <source>Separate the factors with “;”, for example 1; 1.2; 1.5; 2; 3</source>
        <translation>Ngăn cách các hệ số bằng “;”, ví dụ 1; 1,2; 1,5; 2; 3</translation>
    </message>
    <message>
        <source>Save as a new policy version</source>
        <translation>Lưu thành phiên bản quy tắc mới</translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation>Phiên &amp;bản:</translation>
    </message>
    <message>
        <source>&amp;Save new version</source>
        <translation>&amp;Lưu phiên bản mới</translation>
    </message>
    <message>
        <source>&amp;Undo changes</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <source>In force from</source>
        <translation>Áp dụng từ</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Ngày lưu</translation>
    </message>
    <message>
        <source>In force fr&amp;om:</source>
        <translation>Áp dụng &amp;từ:</translation>
    </message>
    <message>
        <source>In force today: the defaults of Decree 335 (version {version}).</source>
        <translation>Đang áp dụng: quy tắc mặc định theo Nghị định 335 (phiên bản {version}).</translation>
    </message>
    <message>
        <source>In force today: version {version} (from {date}).</source>
        <translation>Đang áp dụng: phiên bản {version} (từ ngày {date}).</translation>
    </message>
    <message>
        <source>Change the values below and save them as a new version; shares are written as decimals (0.25 = 25 %).</source>
        <translation>Sửa các giá trị dưới đây rồi lưu thành phiên bản mới; tỷ lệ ghi dạng số thập phân (0,25 = 25%).</translation>
    </message>
    <message>
        <source>Policy {version} stored; publish the organisation to send it out.</source>
        <translation>Đã lưu quy tắc chấm điểm {version}; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Print {name}</source>
        <translation>In {name}</translation>
    </message>
    <message>
        <source>A copy was saved as {path}.</source>
        <translation>Đã lưu một bản tại {path}.</translation>
    </message>
    <message>
        <source>The file could not be printed ({error}). Open it and print from the viewer.</source>
        <translation>Không in được tệp ({error}). Đồng chí hãy mở tệp và in từ chương trình xem tệp.</translation>
    </message>
    <message>
        <source>the default printer</source>
        <translation>máy in mặc định</translation>
    </message>
    <message>
        <source>1 copy</source>
        <translation>1 bản</translation>
    </message>
    <message>
        <source>{n} copies</source>
        <translation>{n} bản</translation>
    </message>
    <message>
        <source>{name}: {copies} sent to {printer}.</source>
        <translation>{name}: đã gửi {copies} tới {printer}.</translation>
    </message>
</context>
<context>
    <name>Proposal</name>
    <message>
        <source>waiting for a decision</source>
        <translation>đang chờ xử lý</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>đã chấp nhận</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>không được chấp nhận</translation>
    </message>
</context>
<context>
    <name>ProposalDialog</name>
    <message>
        <source>Propose a new product</source>
        <translation>Đề xuất sản phẩm mới</translation>
    </message>
    <message>
        <source>When the catalog has no item for the work, propose one (Article 13(3)): the agency adds it with a code or answers with a note. Until then the work can be logged as ad hoc work with the nearest item.</source>
        <translation>Khi danh mục chưa có sản phẩm/công việc phù hợp, đồng chí đề xuất bổ sung (khoản 3 Điều 13): cơ quan bổ sung kèm mã hoặc trả lời bằng ghi chú. Trong khi chờ, có thể ghi nhật ký là nhiệm vụ phát sinh với mục gần nhất.</translation>
    </message>
    <message>
        <source>Product / &amp;work:</source>
        <translation>Sản phẩm/&amp;công việc:</translation>
    </message>
    <message>
        <source>&amp;Output product:</source>
        <translation>Sản phẩm đầu &amp;ra:</translation>
    </message>
    <message>
        <source>Complexity &amp;group:</source>
        <translation>&amp;Nhóm độ phức tạp:</translation>
    </message>
    <message>
        <source>Poi&amp;nts:</source>
        <translation>Đ&amp;iểm:</translation>
    </message>
    <message>
        <source>&amp;Reason it is needed:</source>
        <translation>&amp;Lý do đề xuất:</translation>
    </message>
    <message>
        <source>e.g. Giấy chứng nhận, Báo cáo</source>
        <translation>ví dụ: Giấy chứng nhận, Báo cáo</translation>
    </message>
    <message>
        <source>e.g. 10</source>
        <translation>ví dụ: 10</translation>
    </message>
    <message>
        <source>&amp;File the proposal</source>
        <translation>&amp;Gửi đề xuất</translation>
    </message>
    <message>
        <source>The proposal “{name}” of {person} is filed; it goes to the agency with the next USB copy or synchronisation.</source>
        <translation>Đã lưu đề xuất “{name}” của {person}; đề xuất sẽ đến cơ quan trong lần chép USB hoặc đồng bộ tới.</translation>
    </message>
</context>
<context>
    <name>ProposalsPage</name>
    <message>
        <source>Proposals</source>
        <translation>Đề xuất</translation>
    </message>
    <message>
        <source>Proposals of new catalog items (Article 13.3)</source>
        <translation>Đề xuất bổ sung sản phẩm/công việc vào danh mục (khoản 3 Điều 13)</translation>
    </message>
    <message>
        <source>&amp;Waiting for a decision only</source>
        <translation>Chỉ đề xuất đang c&amp;hờ xử lý</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Proposed by</source>
        <translation>Người đề xuất</translation>
    </message>
    <message>
        <source>Product or task</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Điểm</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Accept into a new catalog version</source>
        <translation>Chấp nhận vào phiên bản danh mục mới</translation>
    </message>
    <message>
        <source>Item &amp;code:</source>
        <translation>&amp;Mã sản phẩm:</translation>
    </message>
    <message>
        <source>&amp;Points:</source>
        <translation>&amp;Số điểm:</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Ghi chú:</translation>
    </message>
    <message>
        <source>for example HCC.99</source>
        <translation>ví dụ HCC.99</translation>
    </message>
    <message>
        <source>empty: the proposed points</source>
        <translation>để trống: lấy điểm đề xuất</translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation>&amp;Chấp nhận</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Không chấp nhận</translation>
    </message>
    <message>
        <source>Note for the &amp;official:</source>
        <translation>&amp;Lý do gửi công chức:</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>&amp;Không chấp nhận</translation>
    </message>
    <message>
        <source>No proposals.</source>
        <translation>Không có đề xuất nào.</translation>
    </message>
    <message>
        <source>Output: {output}</source>
        <translation>Sản phẩm đầu ra: {output}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Lý do: {reason}</translation>
    </message>
    <message>
        <source>Decision note: {note}</source>
        <translation>Ghi chú quyết định: {note}</translation>
    </message>
    <message>
        <source>Accepted as item {code} of the new catalog version {version}; publish the organisation to send it out.</source>
        <translation>Đã chấp nhận thành sản phẩm/công việc {code} của phiên bản danh mục mới {version}; hãy phát hành tệp tổ chức để gửi đi.</translation>
    </message>
    <message>
        <source>Proposal rejected.</source>
        <translation>Đã không chấp nhận đề xuất.</translation>
    </message>
</context>
<context>
    <name>Provisional</name>
    <message>
        <source>Provisional — month {month} is not over ({elapsed}/{total} working days): no level until it ends.</source>
        <translation>Tạm tính — tháng {month} chưa kết thúc ({elapsed}/{total} ngày làm việc): chưa xếp mức cho đến hết tháng.</translation>
    </message>
</context>
<context>
    <name>PublishPage</name>
    <message>
        <source>Publish</source>
        <translation>Phát hành</translation>
    </message>
    <message>
        <source>Publish the organisation</source>
        <translation>Phát hành tệp tổ chức</translation>
    </message>
    <message>
        <source>Organisation file</source>
        <translation>Tệp tổ chức</translation>
    </message>
    <message>
        <source>Organisation:</source>
        <translation>Tổ chức:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Phiên bản:</translation>
    </message>
    <message>
        <source>Last published:</source>
        <translation>Lần phát hành trước:</translation>
    </message>
    <message>
        <source>Contents:</source>
        <translation>Nội dung:</translation>
    </message>
    <message>
        <source>Agency key:</source>
        <translation>Khóa của cơ quan:</translation>
    </message>
    <message>
        <source>Changes since the last publication</source>
        <translation>Thay đổi từ lần phát hành trước</translation>
    </message>
    <message>
        <source>Where to publish</source>
        <translation>Nơi phát hành</translation>
    </message>
    <message>
        <source>F&amp;older (USB stick):</source>
        <translation>&amp;Thư mục (USB):</translation>
    </message>
    <message>
        <source>H&amp;ub address:</source>
        <translation>Địa chỉ &amp;máy chủ tiếp nhận:</translation>
    </message>
    <message>
        <source>optional, for example http://hub.example:8335</source>
        <translation>không bắt buộc, ví dụ http://hub.example:8335</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Chọn…</translation>
    </message>
    <message>
        <source>&amp;Sign and publish the next version</source>
        <translation>&amp;Ký và phát hành phiên bản tiếp theo</translation>
    </message>
    <message>
        <source>now {current}; publishing makes version {next}</source>
        <translation>hiện tại {current}; phát hành sẽ tạo phiên bản {next}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa lần nào</translation>
    </message>
    <message>
        <source>{units} units, {people} people, {relations} current evaluator relations, {items} catalog items, {policies} policy versions</source>
        <translation>{units} đơn vị, {people} người, {relations} quan hệ đánh giá hiện hành, {items} sản phẩm/công việc, {policies} phiên bản quy tắc chấm điểm</translation>
    </message>
    <message>
        <source>Read it to the PCs&apos; users so that they can compare it at set-up.</source>
        <translation>Hãy đọc cho người dùng các máy để họ đối chiếu khi thiết lập.</translation>
    </message>
    <message>
        <source>no agency key on this PC</source>
        <translation>máy này không có khóa của cơ quan</translation>
    </message>
    <message>
        <source>Policy {version} in force from {date}:</source>
        <translation>Quy tắc chấm điểm {version} áp dụng từ {date}:</translation>
    </message>
    <message>
        <source>No changes since the last publication.</source>
        <translation>Không có thay đổi từ lần phát hành trước.</translation>
    </message>
    <message>
        <source>Nothing published yet.</source>
        <translation>Chưa phát hành lần nào.</translation>
    </message>
    <message>
        <source>Publish to a folder</source>
        <translation>Phát hành vào thư mục</translation>
    </message>
    <message>
        <source>Signing and writing the organisation file…</source>
        <translation>Đang ký và ghi tệp tổ chức…</translation>
    </message>
    <message>
        <source>Version {version} written to {path}. Copy it to the PCs or let them fetch it from the hub.</source>
        <translation>Đã ghi phiên bản {version} vào {path}. Hãy chép tệp sang các máy hoặc để các máy tải về từ máy chủ tiếp nhận.</translation>
    </message>
    <message>
        <source>The hub has it.</source>
        <translation>Máy chủ tiếp nhận đã nhận tệp.</translation>
    </message>
    <message>
        <source>Not sent to the hub: {reason}</source>
        <translation>Chưa gửi được lên máy chủ tiếp nhận: {reason}</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Choose a ready-made reason…</source>
        <translation>Chọn lý do có sẵn…</translation>
    </message>
</context>
<context>
    <name>Reconciliation</name>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Vị trí việc làm</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>Last work logged</source>
        <translation>Ngày có nhật ký gần nhất</translation>
    </message>
    <message>
        <source>Working days without an entry</source>
        <translation>Số ngày làm việc chưa ghi nhật ký</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Kết quả tháng</translation>
    </message>
    <message>
        <source>Entries waiting for review</source>
        <translation>Mục chờ xác nhận</translation>
    </message>
    <message>
        <source>Of which overdue</source>
        <translation>Trong đó quá hạn</translation>
    </message>
    <message>
        <source>Months to confirm</source>
        <translation>Tháng chờ đánh giá</translation>
    </message>
    <message>
        <source>Needs a reminder</source>
        <translation>Cần nhắc</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <source>no</source>
        <translation>không</translation>
    </message>
</context>
<context>
    <name>ReconciliationPage</name>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>Last work logged</source>
        <translation>Nhật ký gần nhất</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa bao giờ</translation>
    </message>
    <message>
        <source>Days without entry</source>
        <translation>Ngày chưa ghi</translation>
    </message>
    <message>
        <source>The month</source>
        <translation>Kết quả tháng</translation>
    </message>
    <message>
        <source>Waiting / overdue</source>
        <translation>Chờ xác nhận / quá hạn</translation>
    </message>
    <message>
        <source>Months to confirm</source>
        <translation>Tháng chờ đánh giá</translation>
    </message>
    <message>
        <source>Reconciliation</source>
        <translation>Đối soát</translation>
    </message>
    <message>
        <source>Who needs a reminder</source>
        <translation>Ai cần được nhắc</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>&amp;Tháng:</translation>
    </message>
    <message>
        <source>&amp;Working days without an entry, at least:</source>
        <translation>Số ngày làm việc &amp;chưa ghi nhật ký, từ:</translation>
    </message>
    <message>
        <source>Only people who need a &amp;reminder</source>
        <translation>C&amp;hỉ người cần nhắc</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>&amp;Xuất CSV…</translation>
    </message>
    <message>
        <source>{month}: {idle} of {n} people have logged nothing for a working day or more; {unsubmitted} have not submitted the month; {behind} leaders have overdue entries or months to confirm.</source>
        <translation>Tháng {month}: {idle}/{n} người chưa ghi nhật ký từ một ngày làm việc trở lên; {unsubmitted} người chưa gửi kết quả tháng; {behind} lãnh đạo còn mục quá hạn hoặc tháng chờ đánh giá.</translation>
    </message>
    <message>
        <source>{month}: {idle} of {n} people have logged nothing for {days} working days or more; {unsubmitted} have not submitted the month; {behind} leaders have overdue entries or months to confirm.</source>
        <translation>Tháng {month}: {idle}/{n} người chưa ghi nhật ký từ {days} ngày làm việc trở lên; {unsubmitted} người chưa gửi kết quả tháng; {behind} lãnh đạo còn mục quá hạn hoặc tháng chờ đánh giá.</translation>
    </message>
    <message>
        <source>Export the reconciliation</source>
        <translation>Xuất bảng đối soát</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>The file was not written: {reason}</source>
        <translation>Chưa ghi được tệp: {reason}</translation>
    </message>
    <message>
        <source>{n} people of {month} written to {path}.</source>
        <translation>Đã ghi {n} người của tháng {month} vào {path}.</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>SOCIALIST REPUBLIC OF VIET NAM</source>
        <translation>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</translation>
    </message>
    <message>
        <source>Independence - Freedom - Happiness</source>
        <translation>Độc lập - Tự do - Hạnh phúc</translation>
    </message>
    <message>
        <source>......, day .... month .... year ......</source>
        <translation>......, ngày .... tháng .... năm ......</translation>
    </message>
    <message>
        <source>(Signature and full name)</source>
        <translation>(Ký tên, ghi rõ họ tên)</translation>
    </message>
    <message>
        <source>Scoring policy {version}</source>
        <translation>Quy tắc chấm điểm {version}</translation>
    </message>
    <message>
        <source>Verification code {code}</source>
        <translation>Mã kiểm tra {code}</translation>
    </message>
    <message>
        <source>Page {page}/{pages}</source>
        <translation>Trang {page}/{pages}</translation>
    </message>
    <message>
        <source>Printed by KPI Desktop on {date}</source>
        <translation>In từ KPI Desktop ngày {date}</translation>
    </message>
    <message>
        <source>Excellent: completed tasks excellently</source>
        <translation>Hoàn thành xuất sắc nhiệm vụ</translation>
    </message>
    <message>
        <source>Good: completed tasks well</source>
        <translation>Hoàn thành tốt nhiệm vụ</translation>
    </message>
    <message>
        <source>Satisfactory: completed tasks</source>
        <translation>Hoàn thành nhiệm vụ</translation>
    </message>
    <message>
        <source>Unsatisfactory: did not complete tasks</source>
        <translation>Không hoàn thành nhiệm vụ</translation>
    </message>
    <message>
        <source>Not classified</source>
        <translation>Không xếp loại</translation>
    </message>
    <message>
        <source>sick leave (social insurance)</source>
        <translation>nghỉ ốm (bảo hiểm xã hội)</translation>
    </message>
    <message>
        <source>maternity leave (social insurance)</source>
        <translation>nghỉ thai sản (bảo hiểm xã hội)</translation>
    </message>
    <message>
        <source>unpaid personal leave</source>
        <translation>nghỉ việc riêng không hưởng lương</translation>
    </message>
    <message>
        <source>insufficient data</source>
        <translation>chưa đủ dữ liệu</translation>
    </message>
    <message>
        <source>not evaluated</source>
        <translation>chưa đánh giá</translation>
    </message>
    <message>
        <source>not yet in service</source>
        <translation>chưa công tác</translation>
    </message>
    <message>
        <source>no longer in service</source>
        <translation>đã thôi công tác</translation>
    </message>
    <message>
        <source>fewer than 6 months worked</source>
        <translation>thời gian công tác chưa đủ 06 tháng (khoản 1 Điều 11)</translation>
    </message>
    <message>
        <source>disciplined (Article 20.4)</source>
        <translation>bị kỷ luật (điểm c khoản 4 Điều 20)</translation>
    </message>
    <message>
        <source>capped by the organisation&apos;s level (Article 20.6)</source>
        <translation>không cao hơn mức xếp loại của tổ chức (khoản 6 Điều 20)</translation>
    </message>
    <message>
        <source>on leave the whole month (Article 11.2)</source>
        <translation>nghỉ cả tháng (khoản 2 Điều 11)</translation>
    </message>
    <message>
        <source>month not over: provisional, not in the mean</source>
        <translation>tháng chưa kết thúc: tạm tính, không tính vào điểm trung bình</translation>
    </message>
    <message>
        <source>classified on the months actually worked (Article 11.2)</source>
        <translation>xếp loại theo thời gian làm việc thực tế (khoản 2 Điều 11)</translation>
    </message>
    <message>
        <source>January</source>
        <translation>tháng 01</translation>
    </message>
    <message>
        <source>February</source>
        <translation>tháng 02</translation>
    </message>
    <message>
        <source>March</source>
        <translation>tháng 3</translation>
    </message>
    <message>
        <source>April</source>
        <translation>tháng 4</translation>
    </message>
    <message>
        <source>May</source>
        <translation>tháng 5</translation>
    </message>
    <message>
        <source>June</source>
        <translation>tháng 6</translation>
    </message>
    <message>
        <source>July</source>
        <translation>tháng 7</translation>
    </message>
    <message>
        <source>August</source>
        <translation>tháng 8</translation>
    </message>
    <message>
        <source>September</source>
        <translation>tháng 9</translation>
    </message>
    <message>
        <source>October</source>
        <translation>tháng 10</translation>
    </message>
    <message>
        <source>November</source>
        <translation>tháng 11</translation>
    </message>
    <message>
        <source>December</source>
        <translation>tháng 12</translation>
    </message>
    <message>
        <source>first half of {year}</source>
        <translation>6 tháng đầu năm {year}</translation>
    </message>
    <message>
        <source>second half of {year}</source>
        <translation>6 tháng cuối năm {year}</translation>
    </message>
    <message>
        <source>quarter {quarter} of {year}</source>
        <translation>quý {quarter} năm {year}</translation>
    </message>
    <message>
        <source>{month_name} {year}</source>
        <translation>{month_name} năm {year}</translation>
    </message>
    <message>
        <source>year {year}</source>
        <translation>năm {year}</translation>
    </message>
    <message>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <source>Position, title:</source>
        <translation>Chức vụ, chức danh:</translation>
    </message>
    <message>
        <source>Work unit:</source>
        <translation>Đơn vị công tác:</translation>
    </message>
    <message>
        <source>Civil servant monitoring and evaluation form</source>
        <translation>Phiếu theo dõi, đánh giá công chức</translation>
    </message>
    <message>
        <source>Form No. 01</source>
        <translation>Mẫu số 01</translation>
    </message>
    <message>
        <source>CIVIL SERVANT MONITORING AND EVALUATION FORM</source>
        <translation>PHIẾU THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC</translation>
    </message>
    <message>
        <source>(Monitoring and evaluation period: {period})</source>
        <translation>(Kỳ theo dõi, đánh giá: {period})</translation>
    </message>
    <message>
        <source>I. RESULTS OF MONITORING AND EVALUATION AGAINST THE GENERAL CRITERIA</source>
        <translation>I. KẾT QUẢ THEO DÕI, ĐÁNH GIÁ THEO TIÊU CHÍ CHUNG</translation>
    </message>
    <message>
        <source>For a quarter the points are the mean of its months (Article 17.3).</source>
        <translation>Điểm của quý là trung bình cộng điểm các tháng trong quý (khoản 3 Điều 17).</translation>
    </message>
    <message>
        <source>II. SUMMARY OF THE MONITORING AND EVALUATION RESULTS</source>
        <translation>II. TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC</translation>
    </message>
    <message>
        <source>SELF-ASSESSING CIVIL SERVANT</source>
        <translation>CÔNG CHỨC TỰ ĐÁNH GIÁ</translation>
    </message>
    <message>
        <source>(corresponding to the level {level})</source>
        <translation>(tương ứng mức {level})</translation>
    </message>
    <message>
        <source>Column (5) is not part of Form No. 01: it holds the points confirmed by the competent authority (Article 17.2).</source>
        <translation>Cột (5) không có trong Mẫu số 01, được bổ sung để ghi điểm do cấp có thẩm quyền theo dõi, đánh giá xác nhận (khoản 2 Điều 17).</translation>
    </message>
    <message>
        <source>COMPETENT AUTHORITY
FOR MONITORING AND EVALUATION</source>
        <translation>CẤP CÓ THẨM QUYỀN
THEO DÕI, ĐÁNH GIÁ</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>TT</translation>
    </message>
    <message>
        <source>Scoring criteria</source>
        <translation>Tiêu chí chấm điểm</translation>
    </message>
    <message>
        <source>Maximum points</source>
        <translation>Điểm tối đa</translation>
    </message>
    <message>
        <source>Self-assessed points</source>
        <translation>Điểm do cá nhân tự chấm</translation>
    </message>
    <message>
        <source>Points confirmed by the evaluator</source>
        <translation>Điểm do cấp có thẩm quyền xác nhận</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <source>Insufficient data: nothing was assigned in this period.</source>
        <translation>Chưa đủ dữ liệu: trong kỳ không có nhiệm vụ được giao.</translation>
    </message>
    <message>
        <source>3. Total monitoring and evaluation points:</source>
        <translation>3. Tổng điểm theo dõi, đánh giá công chức:</translation>
    </message>
    <message>
        <source>4. Strengths:</source>
        <translation>4. Ưu điểm:</translation>
    </message>
    <message>
        <source>5. Limitations and shortcomings:</source>
        <translation>5. Hạn chế, khuyết điểm:</translation>
    </message>
    <message>
        <source>6. Comments of the competent authority for monitoring and evaluation:</source>
        <translation>6. Ý kiến nhận xét của cấp có thẩm quyền theo dõi, đánh giá:</translation>
    </message>
    <message>
        <source>DETAILED TABLE OF THE TASK-PERFORMANCE RESULTS</source>
        <translation>BẢNG CHI TIẾT KẾT QUẢ THỰC HIỆN NHIỆM VỤ</translation>
    </message>
    <message>
        <source>(Annex to the monitoring and evaluation form of {name}, {period})</source>
        <translation>(Kèm theo Phiếu theo dõi, đánh giá công chức của {name}, kỳ {period})</translation>
    </message>
    <message>
        <source>Quantity a = {a}%; quality b = {b}%; timeliness c = {c}%</source>
        <translation>Số lượng a = {a}%; chất lượng b = {b}%; tiến độ c = {c}%</translation>
    </message>
    <message>
        <source>; d = {d}%; đ = {dd}%; e = {e}%</source>
        <translation>; d = {d}%; đ = {dd}%; e = {e}%</translation>
    </message>
    <message>
        <source>Task-performance points = {ratio}% × 70, at most 70 = {points}.</source>
        <translation>Điểm tiêu chí kết quả thực hiện nhiệm vụ = {ratio}% × 70, tối đa 70 điểm = {points}.</translation>
    </message>
    <message>
        <source>Products and tasks of the period</source>
        <translation>Sản phẩm/công việc trong kỳ</translation>
    </message>
    <message>
        <source>Months of the quarter</source>
        <translation>Các tháng trong quý</translation>
    </message>
    <message>
        <source>{code}: objective cause of the quality errors confirmed (Article 14.2(b)), not deducted: {reason}</source>
        <translation>{code}: sai sót lớn do nguyên nhân khách quan được xác nhận (điểm b khoản 2 Điều 14), không trừ điểm: {reason}</translation>
    </message>
    <message>
        <source>{code}: objective cause of the delays confirmed (Article 14.2(c)), not deducted: {reason}</source>
        <translation>{code}: chậm tiến độ do nguyên nhân khách quan được xác nhận (điểm c khoản 2 Điều 14), không trừ điểm: {reason}</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Product / task</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Coeff.</source>
        <translation>Hệ số quy đổi</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Được giao</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Hoàn thành</translation>
    </message>
    <message>
        <source>Unplanned</source>
        <translation>Ngoài kế hoạch</translation>
    </message>
    <message>
        <source>Quality errors</source>
        <translation>Sai sót lớn</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Chậm tiến độ</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Tháng</translation>
    </message>
    <message>
        <source>General criteria points</source>
        <translation>Điểm tiêu chí chung</translation>
    </message>
    <message>
        <source>Task-performance points</source>
        <translation>Điểm kết quả thực hiện nhiệm vụ</translation>
    </message>
    <message>
        <source>Total points</source>
        <translation>Tổng điểm</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Leave: {kind} from {start} to {end} ({decision})</source>
        <translation>Thời gian nghỉ: {kind} từ {start} đến {end} ({decision})</translation>
    </message>
    <message>
        <source>Level corresponding to the scores (for reference): {level}</source>
        <translation>Mức xếp loại tương ứng với điểm (tham khảo): {level}</translation>
    </message>
    <message>
        <source>CLASSIFYING AUTHORITY</source>
        <translation>CẤP CÓ THẨM QUYỀN XẾP LOẠI</translation>
    </message>
    <message>
        <source>The proposed measures follow Article 23 of Decree 335/2025/NĐ-CP.</source>
        <translation>Việc đề xuất phương án xử lý căn cứ quy định tại Điều 23 Nghị định số 335/2025/NĐ-CP.</translation>
    </message>
    <message>
        <source>Civil servant quality classification form</source>
        <translation>Phiếu xếp loại chất lượng công chức</translation>
    </message>
    <message>
        <source>Form No. 02</source>
        <translation>Mẫu số 02</translation>
    </message>
    <message>
        <source>1. General criteria points:</source>
        <translation>1. Điểm tiêu chí chung:</translation>
    </message>
    <message>
        <source>2. Task-performance criteria points:</source>
        <translation>2. Điểm tiêu chí kết quả thực hiện nhiệm vụ:</translation>
    </message>
    <message>
        <source>CIVIL SERVANT QUALITY CLASSIFICATION FORM</source>
        <translation>PHIẾU XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC</translation>
    </message>
    <message>
        <source>Year {year}</source>
        <translation>Năm {year}</translation>
    </message>
    <message>
        <source>I. SUMMARY OF THE MONITORING AND EVALUATION RESULTS</source>
        <translation>I. TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ</translation>
    </message>
    <message>
        <source>Total monitoring and evaluation points</source>
        <translation>Tổng điểm theo dõi, đánh giá</translation>
    </message>
    <message>
        <source>mean of {count} months</source>
        <translation>trung bình của {count} tháng</translation>
    </message>
    <message>
        <source>Mean total points for the year</source>
        <translation>Tổng điểm trung bình cả năm</translation>
    </message>
    <message>
        <source>II. SELF-ASSESSMENT AND QUALITY CLASSIFICATION BY THE CIVIL SERVANT</source>
        <translation>II. CÔNG CHỨC TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG</translation>
    </message>
    <message>
        <source>III. QUALITY CLASSIFICATION BY THE COMPETENT AUTHORITY</source>
        <translation>III. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG CỦA CẤP CÓ THẨM QUYỀN CÔNG CHỨC</translation>
    </message>
    <message>
        <source>Decision No. {number} of {date}</source>
        <translation>Quyết định số {number} ngày {date}</translation>
    </message>
    <message>
        <source>IV. PROPOSED MEASURES</source>
        <translation>IV. ĐỀ XUẤT PHƯƠNG ÁN XỬ LÝ</translation>
    </message>
    <message>
        <source>SELF-CLASSIFYING CIVIL SERVANT</source>
        <translation>CÔNG CHỨC TỰ XẾP LOẠI</translation>
    </message>
    <message>
        <source>The quality classification follows Article 20 of Decree 335/2025/NĐ-CP.</source>
        <translation>Việc xếp loại chất lượng công chức căn cứ vào quy định tại Điều 20 Nghị định số 335/2025/NĐ-CP.</translation>
    </message>
    <message>
        <source>“Excellent” quota (Article 20.5): {excellent} rated Excellent; at most {limit} allowed ({share}% of {good} rated Good).</source>
        <translation>Tỷ lệ “Hoàn thành xuất sắc nhiệm vụ” (khoản 5 Điều 20): {excellent} người Hoàn thành xuất sắc nhiệm vụ; tối đa được {limit} người ({share}% của {good} người “Hoàn thành tốt nhiệm vụ”).</translation>
    </message>
    <message>
        <source>Summary of monitoring and evaluation results</source>
        <translation>Bảng tổng hợp kết quả theo dõi, đánh giá</translation>
    </message>
    <message>
        <source>Unit summary</source>
        <translation>Bảng tổng hợp của đơn vị</translation>
    </message>
    <message>
        <source>SUMMARY OF CIVIL SERVANT QUALITY CLASSIFICATION RESULTS</source>
        <translation>BẢNG TỔNG HỢP KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG CÔNG CHỨC</translation>
    </message>
    <message>
        <source>SUMMARY OF CIVIL SERVANT MONITORING AND EVALUATION RESULTS</source>
        <translation>BẢNG TỔNG HỢP KẾT QUẢ THEO DÕI, ĐÁNH GIÁ CÔNG CHỨC</translation>
    </message>
    <message>
        <source>I. RESULTS BY PERSON</source>
        <translation>I. KẾT QUẢ CỦA TỪNG CÔNG CHỨC</translation>
    </message>
    <message>
        <source>II. DISTRIBUTION BY LEVEL</source>
        <translation>II. TỔNG HỢP THEO MỨC XẾP LOẠI</translation>
    </message>
    <message>
        <source>Over the quota by {excess}: the approver must decide who is moved down.</source>
        <translation>Vượt tỷ lệ {excess} người: cấp có thẩm quyền quyết định người được điều chỉnh mức xếp loại.</translation>
    </message>
    <message>
        <source>Within the quota.</source>
        <translation>Trong giới hạn tỷ lệ.</translation>
    </message>
    <message>
        <source>III. LEADERS&apos; REVIEW OF THE WORK LOG</source>
        <translation>III. TIẾN ĐỘ NHẬN XÉT, XÁC NHẬN NHẬT KÝ CÔNG VIỆC CỦA LÃNH ĐẠO</translation>
    </message>
    <message>
        <source>Late: a verdict given more than {days} working days after submission.</source>
        <translation>Quá hạn: xác nhận hoặc trả lại sau hơn {days} ngày làm việc kể từ khi gửi.</translation>
    </message>
    <message>
        <source>No work-log entries were reviewed.</source>
        <translation>Không có mục nhật ký công việc nào được nhận xét.</translation>
    </message>
    <message>
        <source>PREPARED BY</source>
        <translation>NGƯỜI LẬP BIỂU</translation>
    </message>
    <message>
        <source>HEAD OF THE UNIT</source>
        <translation>NGƯỜI ĐỨNG ĐẦU CƠ QUAN, ĐƠN VỊ</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Chức vụ, chức danh</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>Số tháng</translation>
    </message>
    <message>
        <source>Mean points</source>
        <translation>Điểm trung bình</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mức xếp loại</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Tiêu chí chung</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Kết quả nhiệm vụ</translation>
    </message>
    <message>
        <source>Corresponding level</source>
        <translation>Mức tương ứng</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Số người</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Tỷ lệ</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>Người nhận xét, xác nhận</translation>
    </message>
    <message>
        <source>Entries reviewed</source>
        <translation>Số mục đã xử lý</translation>
    </message>
    <message>
        <source>Reviewed late</source>
        <translation>Xử lý quá hạn</translation>
    </message>
    <message>
        <source>Still waiting</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <source>Mean working days</source>
        <translation>Số ngày làm việc trung bình</translation>
    </message>
    <message>
        <source>(no evaluator assigned)</source>
        <translation>(chưa có người đánh giá)</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>The code {code} matches the current data: the printed form is valid.</source>
        <translation>Mã {code} khớp với dữ liệu hiện tại: phiếu đã in còn giá trị.</translation>
    </message>
    <message>
        <source>The code {code} does not match the current data: the figures changed after the form was printed (the current code is {current}).</source>
        <translation>Mã {code} không khớp với dữ liệu hiện tại: số liệu đã thay đổi sau khi in phiếu (mã hiện tại là {current}).</translation>
    </message>
    <message>
        <source>The code {code} refers to a person, unit or period that does not exist.</source>
        <translation>Mã {code} dẫn đến người, đơn vị hoặc kỳ đánh giá không tồn tại.</translation>
    </message>
    <message>
        <source>“{code}” is not a verification code: it looks like F01.person.2026-03.ABCDEFGH.</source>
        <translation>“{code}” không phải là mã kiểm tra: mã có dạng F01.nguoi.2026-03.ABCDEFGH.</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <source>Print forms and reports</source>
        <translation>In biểu mẫu và báo cáo</translation>
    </message>
    <message>
        <source>Form 01 — monthly or quarterly evaluation</source>
        <translation>Mẫu số 01 — phiếu theo dõi, đánh giá tháng hoặc quý</translation>
    </message>
    <message>
        <source>Form 02 — annual quality classification</source>
        <translation>Mẫu số 02 — phiếu xếp loại chất lượng hằng năm</translation>
    </message>
    <message>
        <source>Unit summary</source>
        <translation>Bảng tổng hợp của đơn vị</translation>
    </message>
    <message>
        <source>Export (CSV, XLSX, JSON)</source>
        <translation>Xuất dữ liệu (CSV, XLSX, JSON)</translation>
    </message>
    <message>
        <source>Electronic evaluation dossier of a person (Article 24)</source>
        <translation>Hồ sơ đánh giá điện tử của một công chức (Điều 24)</translation>
    </message>
    <message>
        <source>Electronic evaluation dossiers of a unit (Article 24)</source>
        <translation>Hồ sơ đánh giá điện tử của cả đơn vị (Điều 24)</translation>
    </message>
    <message>
        <source>PDF, to print</source>
        <translation>PDF, để in</translation>
    </message>
    <message>
        <source>Word (.docx), to edit and sign</source>
        <translation>Word (.docx), để sửa và ký</translation>
    </message>
    <message>
        <source>All formats</source>
        <translation>Tất cả định dạng</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ đánh giá</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>Loại tệp</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Định dạng</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Lưu vào</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>Mở tệp</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>In…</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Tạo</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Word documents (*.docx)</source>
        <translation>Tệp Word (*.docx)</translation>
    </message>
    <message>
        <source>Dossier archives (*.zip)</source>
        <translation>Tệp hồ sơ điện tử (*.zip)</translation>
    </message>
    <message>
        <source>Save the file</source>
        <translation>Lưu tệp</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Mở thư mục</translation>
    </message>
    <message>
        <source>Choose who the report is for and where to save the file.</source>
        <translation>Chọn người hoặc đơn vị cần in và nơi lưu tệp.</translation>
    </message>
    <message>
        <source>Dossier written: {path} ({files} files, {records} records).</source>
        <translation>Đã ghi hồ sơ: {path} ({files} tệp, {records} bản ghi).</translation>
    </message>
    <message>
        <source>Written: {path} ({pages}, {period}). Verification code: {code}</source>
        <translation>Đã ghi: {path} ({pages}, {period}). Mã kiểm tra: {code}</translation>
    </message>
    <message>
        <source>Written: {path} ({period}). Verification code: {code}</source>
        <translation>Đã ghi: {path} ({period}). Mã kiểm tra: {code}</translation>
    </message>
    <message>
        <source>No program on this computer opens {path}.</source>
        <translation>Máy tính này không có chương trình nào mở được {path}.</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>Xuất vào thư mục</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang thực hiện…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Đang hủy…</translation>
    </message>
    <message>
        <source>{count} files written to {folder}.</source>
        <translation>Đã ghi {count} tệp vào {folder}.</translation>
    </message>
</context>
<context>
    <name>ReturnReason</name>
    <message>
        <source>The output product is missing or cannot be opened.</source>
        <translation>Thiếu sản phẩm đầu ra hoặc không mở được.</translation>
    </message>
    <message>
        <source>The quantity does not match the output product.</source>
        <translation>Số lượng không khớp với sản phẩm đầu ra.</translation>
    </message>
    <message>
        <source>The wrong catalog item was chosen.</source>
        <translation>Chọn sai sản phẩm/công việc trong danh mục.</translation>
    </message>
    <message>
        <source>The work date or completion date is wrong.</source>
        <translation>Ngày thực hiện hoặc ngày hoàn thành chưa đúng.</translation>
    </message>
    <message>
        <source>This work was already logged in another entry.</source>
        <translation>Công việc này đã được ghi ở mục khác.</translation>
    </message>
</context>
<context>
    <name>ReviewFlag</name>
    <message>
        <source>Waiting too long</source>
        <translation>Chờ quá hạn</translation>
    </message>
    <message>
        <source>Day over 8 hours</source>
        <translation>Ngày làm quá 8 giờ</translation>
    </message>
    <message>
        <source>Many identical entries</source>
        <translation>Nhiều mục giống nhau</translation>
    </message>
    <message>
        <source>Logged long after the work date</source>
        <translation>Ghi muộn so với ngày thực hiện</translation>
    </message>
    <message>
        <source>Completed without an output product</source>
        <translation>Hoàn thành nhưng không có sản phẩm đầu ra</translation>
    </message>
    <message>
        <source>Completed after the deadline</source>
        <translation>Hoàn thành sau thời hạn</translation>
    </message>
</context>
<context>
    <name>ReviewInboxPage</name>
    <message>
        <source>Review inbox</source>
        <translation>Việc chờ xác nhận</translation>
    </message>
    <message>
        <source>Person / day / work</source>
        <translation>Công chức / ngày / công việc</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <source>Output product</source>
        <translation>Sản phẩm đầu ra</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Ngày gửi</translation>
    </message>
    <message>
        <source>Waiting (working days)</source>
        <translation>Đã chờ (ngày làm việc)</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Cần lưu ý</translation>
    </message>
    <message>
        <source>Selected entry</source>
        <translation>Mục đang chọn</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Product / work</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Reason for the revision</source>
        <translation>Lý do chỉnh sửa</translation>
    </message>
    <message>
        <source>Review history</source>
        <translation>Lịch sử xác nhận</translation>
    </message>
    <message>
        <source>Confirm (Ctrl+Enter)</source>
        <translation>Xác nhận (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Return… (Ctrl+R)</source>
        <translation>Trả lại… (Ctrl+R)</translation>
    </message>
    <message>
        <source>Failed quality review…</source>
        <translation>Sai sót lớn về nội dung…</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>Chậm tiến độ</translation>
    </message>
    <message>
        <source>Objective cause…</source>
        <translation>Nguyên nhân khách quan…</translation>
    </message>
    <message>
        <source>Confirm selected</source>
        <translation>Xác nhận các mục đã chọn</translation>
    </message>
    <message>
        <source>Confirm the person&apos;s week</source>
        <translation>Xác nhận cả tuần của người này</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Open the attachment</source>
        <translation>Mở tệp đính kèm</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>Withdraw this decision; possible until the next export</source>
        <translation>Rút lại quyết định này; làm được cho đến lần xuất dữ liệu tiếp theo</translation>
    </message>
    <message>
        <source>Confirm the entry and go to the next one</source>
        <translation>Xác nhận mục này và chuyển sang mục tiếp theo</translation>
    </message>
    <message>
        <source>Major content error: −25 % of its quality</source>
        <translation>Sai sót lớn về nội dung: trừ 25% chất lượng</translation>
    </message>
    <message>
        <source>One missed deadline: −25 % of its timeliness</source>
        <translation>Một lần chậm tiến độ: trừ 25% tiến độ</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>{name} — {n} waiting</source>
        <translation>{name} — {n} mục chờ</translation>
    </message>
    <message>
        <source>{date} — norm time {hours} h</source>
        <translation>{date} — định mức thời gian {hours} giờ</translation>
    </message>
    <message>
        <source>{n} entries are waiting for your review; {late} of them longer than {limit} working days (highlighted).</source>
        <translation>Có {n} mục chờ đồng chí xác nhận; {late} mục đã chờ quá {limit} ngày làm việc (được tô màu).</translation>
    </message>
    <message>
        <source>Review delays of the leaders you evaluate: {list}</source>
        <translation>Chậm xác nhận của lãnh đạo do đồng chí đánh giá: {list}</translation>
    </message>
    <message>
        <source>{name}: {late} decided late this month, {waiting} waiting too long</source>
        <translation>{name}: {late} mục xác nhận muộn trong tháng, {waiting} mục đang chờ quá hạn</translation>
    </message>
    <message>
        <source>{q} {unit} × coefficient {k}</source>
        <translation>{q} {unit} × hệ số quy đổi {k}</translation>
    </message>
    <message>
        <source>worked {work}, deadline {deadline}, completed {done}</source>
        <translation>thực hiện {work}, thời hạn {deadline}, hoàn thành {done}</translation>
    </message>
    <message>
        <source>{date}: {kind} by {who} {reason}</source>
        <translation>{date}: {who} {kind} {reason}</translation>
    </message>
    <message>
        <source>{person} — {code} {item} ({date})</source>
        <translation>{person} — {code} {item} ({date})</translation>
    </message>
    <message>
        <source>Nothing more of {name} waits.</source>
        <translation>Không còn mục nào của {name} đang chờ.</translation>
    </message>
    <message>
        <source>Undone: {kind} of {what}.</source>
        <translation>Đã hoàn tác: {kind} — {what}.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <source>Confirmed: {what}.</source>
        <translation>Đã xác nhận: {what}.</translation>
    </message>
    <message>
        <source>Returned for revision: {what}.</source>
        <translation>Đã trả lại để chỉnh sửa: {what}.</translation>
    </message>
    <message>
        <source>Objective cause recorded: {what}.</source>
        <translation>Đã ghi nhận nguyên nhân khách quan: {what}.</translation>
    </message>
    <message>
        <source>Confirm {n} entries of {name}? Each one counts in their score as it is.</source>
        <translation>Xác nhận {n} mục của {name}? Mỗi mục sẽ được tính điểm đúng như đã ghi.</translation>
    </message>
    <message>
        <source>{name}: {n}</source>
        <translation>{name}: {n}</translation>
    </message>
    <message>
        <source>Confirm {n} entries of {people} people ({list})? Each one counts in their score as it is.</source>
        <translation>Xác nhận {n} mục của {people} người ({list})? Mỗi mục sẽ được tính điểm đúng như đã ghi.</translation>
    </message>
    <message>
        <source>Confirm entries</source>
        <translation>Xác nhận các mục</translation>
    </message>
    <message>
        <source>1 entry of {names}</source>
        <translation>1 mục của {names}</translation>
    </message>
    <message>
        <source>{n} entries of {names}</source>
        <translation>{n} mục của {names}</translation>
    </message>
    <message>
        <source>{n} entries of {names} confirmed.</source>
        <translation>Đã xác nhận {n} mục của {names}.</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Return for revision</source>
        <translation>Trả lại để chỉnh sửa</translation>
    </message>
    <message>
        <source>Why is this entry returned? The author will see it.</source>
        <translation>Vì sao trả lại mục này? Người ghi sẽ thấy lý do.</translation>
    </message>
    <message>
        <source>Failed quality review</source>
        <translation>Sai sót lớn về nội dung</translation>
    </message>
    <message>
        <source>Describe the major content error.</source>
        <translation>Mô tả sai sót lớn về nội dung.</translation>
    </message>
    <message>
        <source>Failed quality review recorded: {what}.</source>
        <translation>Đã ghi nhận sai sót lớn về nội dung: {what}.</translation>
    </message>
    <message>
        <source>Delay recorded: {what}.</source>
        <translation>Đã ghi nhận chậm tiến độ: {what}.</translation>
    </message>
    <message>
        <source>{n} could not be confirmed: {reason}</source>
        <translation>{n} mục không xác nhận được: {reason}</translation>
    </message>
</context>
<context>
    <name>Score</name>
    <message>
        <source>Insufficient data: nothing was assigned in this period.</source>
        <translation>Chưa đủ dữ liệu: trong kỳ không có nhiệm vụ được giao.</translation>
    </message>
    <message>
        <source>a (quantity) {value}%</source>
        <translation>a (số lượng) {value}%</translation>
    </message>
    <message>
        <source>b (quality) {value}%</source>
        <translation>b (chất lượng) {value}%</translation>
    </message>
    <message>
        <source>c (timeliness) {value}%</source>
        <translation>c (tiến độ) {value}%</translation>
    </message>
    <message>
        <source>d / đ / e {d} / {dd} / {e}%</source>
        <translation>d / đ / e {d} / {dd} / {e}%</translation>
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
        <source>No month of the period has a score.</source>
        <translation>Không tháng nào trong kỳ có điểm.</translation>
    </message>
    <message>
        <source>Mean of 1 month {value}: {level}</source>
        <translation>Điểm trung bình cộng của 1 tháng {value}: {level}</translation>
    </message>
    <message>
        <source>Mean of {count} months {value}: {level}</source>
        <translation>Điểm trung bình cộng của {count} tháng {value}: {level}</translation>
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
    <name>ScorePage</name>
    <message>
        <source>My score</source>
        <translation>Điểm của tôi</translation>
    </message>
    <message>
        <source>My score and why</source>
        <translation>Điểm của tôi và cách tính</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>&amp;Tháng:</translation>
    </message>
    <message>
        <source>Score of the month</source>
        <translation>Điểm của tháng</translation>
    </message>
    <message>
        <source>Monthly totals this year</source>
        <translation>Tổng điểm các tháng trong năm</translation>
    </message>
    <message>
        <source>Chart of the monthly totals</source>
        <translation>Biểu đồ tổng điểm các tháng</translation>
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
        <source>Why: each product&apos;s contribution</source>
        <translation>Cách tính: đóng góp của từng sản phẩm</translation>
    </message>
    <message>
        <source>Entries of the month and their status</source>
        <translation>Các mục nhật ký trong tháng và trạng thái</translation>
    </message>
    <message>
        <source>Mean of the months of {period}</source>
        <translation>Điểm trung bình cộng các tháng của {period}</translation>
    </message>
    <message>
        <source>Mean of {count} months worked (Article 17.3).</source>
        <translation>Điểm trung bình cộng của {count} tháng công tác (khoản 3 Điều 17).</translation>
    </message>
    <message>
        <source>Insufficient data: nothing was assigned this month, so no score is computed.</source>
        <translation>Chưa đủ dữ liệu: tháng này không được giao nhiệm vụ nên không tính điểm.</translation>
    </message>
    <message>
        <source>General criteria: your self-assessment, not yet confirmed.</source>
        <translation>Tiêu chí chung: điểm tự chấm, chưa được xác nhận.</translation>
    </message>
    <message>
        <source>General criteria: not yet assessed (counted as 0) — fill in Month submission.</source>
        <translation>Tiêu chí chung: chưa chấm (tính là 0) — hãy tự chấm ở mục Gửi kết quả tháng.</translation>
    </message>
    <message>
        <source>Only confirmed entries count: {drafts} draft(s), {waiting} waiting for the leader, {returned} returned.</source>
        <translation>Chỉ các mục đã xác nhận mới được tính: {drafts} bản nháp, {waiting} mục chờ lãnh đạo, {returned} mục bị trả lại.</translation>
    </message>
    <message>
        <source>Indicative only: the evaluator confirms the month. Policy {version}.</source>
        <translation>Chỉ mang tính tham khảo: người đánh giá sẽ xác nhận. Quy tắc chấm điểm {version}.</translation>
    </message>
    <message>
        <source>a = completed ÷ assigned, b = passed quality ÷ assigned (−25 % per failed review), c = on time ÷ assigned (−25 % per delay), in standard units (quantity × coefficient); ad hoc work counts outside the assigned total.</source>
        <translation>a = hoàn thành ÷ được giao, b = đạt chất lượng ÷ được giao (mỗi lần sai sót lớn trừ 25%), c = đúng hạn ÷ được giao (mỗi lần chậm tiến độ trừ 25%), tính theo đơn vị sản phẩm/công việc chuẩn (số lượng × hệ số quy đổi); nhiệm vụ phát sinh được tính ngoài tổng số được giao.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>&amp;Interface language:</source>
        <translation>Ngôn ngữ &amp;giao diện:</translation>
    </message>
    <message>
        <source>The change applies at once in every window and is remembered for the next start.</source>
        <translation>Thay đổi có hiệu lực ngay trên mọi cửa sổ và được ghi nhớ cho lần mở sau.</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Máy tính này</translation>
    </message>
    <message>
        <source>Working as:</source>
        <translation>Người dùng:</translation>
    </message>
    <message>
        <source>&amp;Data folder:</source>
        <translation>&amp;Thư mục dữ liệu:</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <source>Made on</source>
        <translation>Thời điểm sao lưu</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dung lượng</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Sao lưu ngay</translation>
    </message>
    <message>
        <source>&amp;Restore the chosen backup…</source>
        <translation>&amp;Khôi phục bản sao lưu đã chọn…</translation>
    </message>
    <message>
        <source>Chec&amp;k the database now</source>
        <translation>Kiểm tra cơ sở &amp;dữ liệu ngay</translation>
    </message>
    <message>
        <source>Backup made.</source>
        <translation>Đã sao lưu.</translation>
    </message>
    <message>
        <source>Choose a backup in the list first.</source>
        <translation>Hãy chọn một bản sao lưu trong danh sách trước.</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>Khôi phục bản sao lưu</translation>
    </message>
    <message>
        <source>Replace all data on this computer with the backup of {made}? Work recorded after it will no longer be shown (the current data is kept as a backup).</source>
        <translation>Thay toàn bộ dữ liệu trên máy này bằng bản sao lưu lúc {made}? Công việc ghi sau thời điểm đó sẽ không còn hiển thị (dữ liệu hiện tại được giữ lại thành một bản sao lưu).</translation>
    </message>
    <message>
        <source>A copy of the database is made automatically every day (when the last check passed), before every upgrade and before every import. Restoring replaces all data on this computer with the chosen copy; the current data is kept as one more backup first.</source>
        <translation>Cơ sở dữ liệu được tự động sao lưu hằng ngày (khi lần kiểm tra gần nhất đạt), trước mỗi lần nâng cấp và trước mỗi lần nhập gói dữ liệu. Khôi phục sẽ thay toàn bộ dữ liệu trên máy này bằng bản đã chọn; dữ liệu hiện tại được giữ thành một bản sao lưu trước đó.</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>đạt</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>bị hỏng</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>chưa kiểm tra</translation>
    </message>
    <message>
        <source>The database has not been fully checked yet; the check runs by itself when the computer is idle.</source>
        <translation>Cơ sở dữ liệu chưa được kiểm tra đầy đủ lần nào; việc kiểm tra tự chạy khi máy tính rảnh.</translation>
    </message>
    <message>
        <source>Last full check: {when}, intact.</source>
        <translation>Lần kiểm tra đầy đủ gần nhất: {when}, nguyên vẹn.</translation>
    </message>
    <message>
        <source>Last full check: {when}, the database is damaged.</source>
        <translation>Lần kiểm tra đầy đủ gần nhất: {when}, cơ sở dữ liệu bị hỏng.</translation>
    </message>
    <message>
        <source>Last full check: {when}, 1 problem found.</source>
        <translation>Lần kiểm tra đầy đủ gần nhất: {when}, phát hiện 1 vấn đề.</translation>
    </message>
    <message>
        <source>Last full check: {when}, {count} problems found.</source>
        <translation>Lần kiểm tra đầy đủ gần nhất: {when}, phát hiện {count} vấn đề.</translation>
    </message>
    <message>
        <source>Checking the database…</source>
        <translation>Đang kiểm tra cơ sở dữ liệu…</translation>
    </message>
    <message>
        <source>Checking the database… {percent}%</source>
        <translation>Đang kiểm tra cơ sở dữ liệu… {percent}%</translation>
    </message>
    <message>
        <source>The database was checked: intact.</source>
        <translation>Đã kiểm tra cơ sở dữ liệu: nguyên vẹn.</translation>
    </message>
    <message>
        <source>The check found 1 problem.</source>
        <translation>Kiểm tra phát hiện 1 vấn đề.</translation>
    </message>
    <message>
        <source>The check found {count} problems.</source>
        <translation>Kiểm tra phát hiện {count} vấn đề.</translation>
    </message>
    <message>
        <source>The database is damaged: nothing can be changed until a backup is restored.</source>
        <translation>Cơ sở dữ liệu bị hỏng: không thể thay đổi dữ liệu cho đến khi khôi phục một bản sao lưu.</translation>
    </message>
    <message>
        <source>Backing up the database…</source>
        <translation>Đang sao lưu cơ sở dữ liệu…</translation>
    </message>
    <message>
        <source>It replaces what these people recorded on this computer since the backup: {names}.</source>
        <translation>Thao tác này thay thế những gì các đồng chí sau đây đã ghi nhận trên máy này kể từ bản sao lưu: {names}.</translation>
    </message>
    <message>
        <source>Nobody has recorded anything on this computer since the backup.</source>
        <translation>Từ thời điểm sao lưu chưa có ai ghi nhận gì trên máy này.</translation>
    </message>
    <message>
        <source>Restoring is the agency administrator&apos;s task; continue only if the agency administrator or the IT staff asked you to.</source>
        <translation>Khôi phục là việc của người quản trị của cơ quan; chỉ tiếp tục khi người quản trị của cơ quan hoặc cán bộ tin học yêu cầu.</translation>
    </message>
    <message>
        <source>&amp;Replace the data</source>
        <translation>&amp;Thay dữ liệu</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Hủy</translation>
    </message>
    <message>
        <source>Restoring the backup…</source>
        <translation>Đang khôi phục bản sao lưu…</translation>
    </message>
    <message>
        <source>The backup was restored.</source>
        <translation>Đã khôi phục bản sao lưu.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>The key of {name} is made (fingerprint {fingerprint}) but the agency has not published it yet: save the enrolment request to a USB stick with &quot;Save the request to USB…&quot; in the bar above the pages.</source>
        <translation>Đã tạo khóa của {name} (dấu vân tay {fingerprint}) nhưng cơ quan chưa công bố: lưu yêu cầu đăng ký khóa vào USB bằng nút &quot;Lưu đề nghị vào USB…&quot; trên thanh phía trên các trang.</translation>
    </message>
    <message>
        <source>KPI Desktop — first start</source>
        <translation>KPI Desktop — khởi động lần đầu</translation>
    </message>
    <message>
        <source>&amp;Make my key &gt;</source>
        <translation>Tạo &amp;khóa &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Quay lại</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Tiếp theo &gt;</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Hoàn tất</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>The passphrase is wrong. Check the keyboard language and Caps Lock, and try again.</source>
        <translation>Mật khẩu không đúng. Hãy kiểm tra bộ gõ tiếng Việt, phím Caps Lock và thử lại.</translation>
    </message>
    <message>
        <source>KPI Desktop — sign in</source>
        <translation>KPI Desktop — đăng nhập</translation>
    </message>
    <message>
        <source>Choose your name and type your passphrase.</source>
        <translation>Chọn tên và nhập mật khẩu.</translation>
    </message>
    <message>
        <source>&amp;Who are you:</source>
        <translation>Người &amp;sử dụng:</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Mật khẩu:</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>Đăng &amp;nhập</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Agency administrator (agency key)</source>
        <translation>Người quản trị của cơ quan (khóa của cơ quan)</translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <source>The agency&apos;s organisation file</source>
        <translation>Tệp tổ chức của cơ quan</translation>
    </message>
    <message>
        <source>Organisation files (*.kpib);;All files (*)</source>
        <translation>Tệp tổ chức (*.kpib);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>This is not an organisation file.</source>
        <translation>Đây không phải là tệp tổ chức.</translation>
    </message>
    <message>
        <source>The file was not imported and nothing was changed. {reason}</source>
        <translation>Tệp không được nhập, dữ liệu không thay đổi. {reason}</translation>
    </message>
    <message>
        <source>The organisation file is imported.</source>
        <translation>Đã nhập tệp tổ chức.</translation>
    </message>
    <message>
        <source>Agency key: {fingerprint}
Compare it with the fingerprint your agency gave you (on paper or by phone). If they differ, press Cancel and call the agency&apos;s IT staff.</source>
        <translation>Khóa của cơ quan: {fingerprint}
Hãy so sánh với dấu vân tay mà cơ quan đã cung cấp (trên giấy hoặc qua điện thoại). Nếu khác nhau, hãy bấm Hủy và liên hệ cán bộ công nghệ thông tin của cơ quan.</translation>
    </message>
    <message>
        <source>How do you want to start?</source>
        <translation>Chọn cách bắt đầu</translation>
    </message>
    <message>
        <source>Try the application with made-up data, or set it up for your agency.</source>
        <translation>Dùng thử ứng dụng với dữ liệu mẫu, hoặc thiết lập cho cơ quan.</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>Dùng thử dữ liệu mẫu</translation>
    </message>
    <message>
        <source>A made-up commune with several months of work, to see how everything works. Every demo person&apos;s passphrase is &quot;demo&quot;.</source>
        <translation>Một xã giả định với nhiều tháng làm việc, để xem mọi chức năng hoạt động thế nào. Mật khẩu của mọi người trong dữ liệu mẫu là &quot;demo&quot;.</translation>
    </message>
    <message>
        <source>Set up from my agency&apos;s file</source>
        <translation>Thiết lập từ tệp của cơ quan</translation>
    </message>
    <message>
        <source>The organisation file (KPI_organisation_….kpib) that your agency&apos;s IT staff gave you, for example on a USB stick.</source>
        <translation>Tệp tổ chức (KPI_organisation_….kpib) do cán bộ công nghệ thông tin của cơ quan cung cấp, ví dụ trên USB.</translation>
    </message>
    <message>
        <source>Set up this PC for the agency (create the agency key)</source>
        <translation>Thiết lập máy này cho cơ quan (tạo khóa của cơ quan)</translation>
    </message>
    <message>
        <source>For the agency&apos;s administrator (personnel unit): build the organisation from the catalog workbook and the staff list, and publish the organisation file.</source>
        <translation>Dành cho người quản trị của cơ quan (bộ phận tổ chức cán bộ): xây dựng tổ chức từ tệp danh mục và danh sách công chức, rồi phát hành tệp tổ chức.</translation>
    </message>
    <message>
        <source>Organisation file</source>
        <translation>Tệp tổ chức</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Chọn tệp…</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Nhập</translation>
    </message>
</context>
<context>
    <name>StaffImportDialog</name>
    <message>
        <source>Import a staff list</source>
        <translation>Nhập danh sách công chức</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Nhập</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>thay đổi</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>không đổi</translation>
    </message>
    <message>
        <source>error</source>
        <translation>lỗi</translation>
    </message>
    <message>
        <source>{file}: {rows} rows — {new} new people, {changed} changed, {same} unchanged. Nothing is written until you press Import.</source>
        <translation>{file}: {rows} dòng — {new} người mới, {changed} thay đổi, {same} không đổi. Chưa có gì được ghi cho đến khi bấm Nhập.</translation>
    </message>
    <message>
        <source>… and {count} more rows with errors.</source>
        <translation>… và {count} dòng lỗi khác.</translation>
    </message>
    <message>
        <source>Correct these rows in the file and choose it again:</source>
        <translation>Hãy sửa các dòng này trong tệp rồi chọn lại:</translation>
    </message>
</context>
<context>
    <name>StatementKind</name>
    <message>
        <source>confirmed</source>
        <translation>xác nhận</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>trả lại</translation>
    </message>
    <message>
        <source>failed quality review</source>
        <translation>ghi sai sót lớn về nội dung</translation>
    </message>
    <message>
        <source>delay</source>
        <translation>ghi chậm tiến độ</translation>
    </message>
    <message>
        <source>objective cause</source>
        <translation>xác nhận nguyên nhân khách quan</translation>
    </message>
    <message>
        <source>objective cause of the quality errors</source>
        <translation>nguyên nhân khách quan của sai sót lớn</translation>
    </message>
    <message>
        <source>objective cause of the delays</source>
        <translation>nguyên nhân khách quan của việc chậm</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>Held: bundle {bundle} from {sender}, number {seq} (kpi-desktop sync release|discard {bundle}).</source>
        <translation>Đang giữ: gói {bundle} của {sender}, số {seq} (kpi-desktop sync release|discard {bundle}).</translation>
    </message>
    <message>
        <source>Refused by {peer}: {item}: {reason}</source>
        <translation>Bị {peer} từ chối: {item}: {reason}</translation>
    </message>
    <message>
        <source>Signed before the key was revoked; arrived after: {item} (from {sender}).</source>
        <translation>Ký trước khi khóa bị thu hồi, đến sau khi thu hồi: {item} (từ {sender}).</translation>
    </message>
    <message>
        <source>{name}: not imported. {reason}</source>
        <translation>{name}: không nhập được. {reason}</translation>
    </message>
    <message>
        <source>{name}: addressed to someone else; left in place.</source>
        <translation>{name}: gửi cho người khác; để nguyên.</translation>
    </message>
    <message>
        <source>{name}: already imported earlier; nothing to do.</source>
        <translation>{name}: đã nhập trước đây; không cần làm gì.</translation>
    </message>
    <message>
        <source>{name}: imported ({details}).</source>
        <translation>{name}: đã nhập ({details}).</translation>
    </message>
    <message>
        <source>{name}: refused by the hub and set aside in outbox/refused (the other files went on). {reason}</source>
        <translation>{name}: máy chủ tiếp nhận từ chối, tệp đã được chuyển sang thư mục outbox/refused (các tệp khác vẫn được gửi tiếp). {reason}</translation>
    </message>
    <message>
        <source>1 bundle from {sender} has not arrived.</source>
        <translation>1 gói của {sender} chưa đến.</translation>
    </message>
    <message>
        <source>{count} bundles from {sender} have not arrived.</source>
        <translation>{count} gói của {sender} chưa đến.</translation>
    </message>
    <message>
        <source>1 item refused by {name}: {reason}</source>
        <translation>1 mục bị {name} từ chối: {reason}</translation>
    </message>
    <message>
        <source>{count} items refused by {name}, the first: {reason}</source>
        <translation>{count} mục bị {name} từ chối, mục đầu tiên: {reason}</translation>
    </message>
    <message>
        <source>1 older copy ignored: a newer version of the same record is already here.</source>
        <translation>1 bản sao cũ được bỏ qua: phiên bản mới hơn của cùng bản ghi đã có ở đây.</translation>
    </message>
    <message>
        <source>{count} older copies ignored: a newer version of the same record is already here.</source>
        <translation>{count} bản sao cũ được bỏ qua: phiên bản mới hơn của cùng bản ghi đã có ở đây.</translation>
    </message>
    <message>
        <source>1 record signed before the key was revoked; arrived after: accepted and flagged for the agency.</source>
        <translation>1 bản ghi được ký trước khi khóa bị thu hồi nhưng đến sau khi thu hồi: đã nhận và đánh dấu để cơ quan xem xét.</translation>
    </message>
    <message>
        <source>{count} records signed before the key was revoked; arrived after: accepted and flagged for the agency.</source>
        <translation>{count} bản ghi được ký trước khi khóa bị thu hồi nhưng đến sau khi thu hồi: đã nhận và đánh dấu để cơ quan xem xét.</translation>
    </message>
    <message>
        <source>The signer is not allowed to make this ({kind}); for example, only a person&apos;s evaluator may confirm their work.</source>
        <translation>Người ký không có quyền thực hiện việc này ({kind}); ví dụ, chỉ người đánh giá mới được xác nhận công việc của công chức.</translation>
    </message>
    <message>
        <source>It is signed with the key {key}, revoked on {revoked}, and dated on or after that day: ask the agency for a new key, then make it again.</source>
        <translation>Bản ghi được ký bằng khóa {key}, khóa này đã bị thu hồi ngày {revoked}, mà bản ghi lại mang ngày từ hôm đó trở về sau: đề nghị cơ quan cấp khóa mới rồi thực hiện lại.</translation>
    </message>
    <message>
        <source>It differs from the same record already there: report this to the agency.</source>
        <translation>Bản ghi khác với bản ghi cùng mã đã có ở máy nhận: hãy báo cho cơ quan.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Send and receive</source>
        <translation>Gửi và nhận</translation>
    </message>
    <message>
        <source>Your key</source>
        <translation>Khóa của người sử dụng</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Dấu vân tay:</translation>
    </message>
    <message>
        <source>Agency key:</source>
        <translation>Khóa của cơ quan:</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Mở khóa</translation>
    </message>
    <message>
        <source>&amp;Create my key</source>
        <translation>&amp;Tạo khóa của tôi</translation>
    </message>
    <message>
        <source>Outbox and inbox</source>
        <translation>Hộp thư đi và hộp thư đến</translation>
    </message>
    <message>
        <source>Hub address:</source>
        <translation>Địa chỉ máy chủ tiếp nhận:</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>Đồng &amp;bộ ngay</translation>
    </message>
    <message>
        <source>&amp;Export to USB…</source>
        <translation>&amp;Xuất ra USB…</translation>
    </message>
    <message>
        <source>&amp;Import from USB…</source>
        <translation>Nhập từ &amp;USB…</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>My proposals of new catalog items</source>
        <translation>Đề xuất bổ sung danh mục sản phẩm/công việc của tôi</translation>
    </message>
    <message>
        <source>the agency</source>
        <translation>cơ quan</translation>
    </message>
    <message>
        <source>Proposed on</source>
        <translation>Ngày đề xuất</translation>
    </message>
    <message>
        <source>Product or task</source>
        <translation>Sản phẩm/công việc</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Agency&apos;s decision</source>
        <translation>Quyết định của cơ quan</translation>
    </message>
    <message>
        <source>Key of {name} created; fingerprint {fingerprint}.</source>
        <translation>Đã tạo khóa của {name}; dấu vân tay {fingerprint}.</translation>
    </message>
    <message>
        <source>The agency must publish it: save the enrolment request to a USB stick with the button in the bar above.</source>
        <translation>Cơ quan cần công bố khóa này: lưu yêu cầu đăng ký khóa vào USB bằng nút trên thanh phía trên.</translation>
    </message>
    <message>
        <source>Sent {count} bundle to the hub.</source>
        <translation>Đã gửi {count} gói dữ liệu lên máy chủ tiếp nhận.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Chiều</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>From → to</source>
        <translation>Từ → đến</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>published by the agency</source>
        <translation>đã được cơ quan công bố</translation>
    </message>
    <message>
        <source>waiting for the agency to publish it</source>
        <translation>đang chờ cơ quan công bố</translation>
    </message>
    <message>
        <source>unlocked</source>
        <translation>đã mở</translation>
    </message>
    <message>
        <source>locked</source>
        <translation>đang khóa</translation>
    </message>
    <message>
        <source>No key on this PC yet: choose a passphrase of at least {minimum} characters that others cannot guess, and create your key.</source>
        <translation>Máy này chưa có khóa: hãy chọn mật khẩu ít nhất {minimum} ký tự mà người khác không đoán được, rồi tạo khóa.</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>chưa thiết lập</translation>
    </message>
    <message>
        <source>{count} record not yet received by the agency.</source>
        <translation>{count} bản ghi chưa được cơ quan nhận.</translation>
    </message>
    <message>
        <source>{count} records not yet received by the agency.</source>
        <translation>{count} bản ghi chưa được cơ quan nhận.</translation>
    </message>
    <message>
        <source>The agency has received everything you sent.</source>
        <translation>Cơ quan đã nhận đủ mọi dữ liệu đã gửi.</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>đã gửi</translation>
    </message>
    <message>
        <source>received</source>
        <translation>đã nhận</translation>
    </message>
    <message>
        <source>item {code}</source>
        <translation>mục {code}</translation>
    </message>
    <message>
        <source>Key unlocked.</source>
        <translation>Đã mở khóa.</translation>
    </message>
    <message>
        <source>Export to a USB stick</source>
        <translation>Xuất ra USB</translation>
    </message>
    <message>
        <source>Import from a USB stick</source>
        <translation>Nhập từ USB</translation>
    </message>
    <message>
        <source>Writing the bundles…</source>
        <translation>Đang ghi các gói dữ liệu…</translation>
    </message>
    <message>
        <source>Importing the bundles…</source>
        <translation>Đang nhập các gói dữ liệu…</translation>
    </message>
    <message>
        <source>Enter the hub address first.</source>
        <translation>Hãy nhập địa chỉ máy chủ tiếp nhận trước.</translation>
    </message>
    <message>
        <source>Exchanging with the hub…</source>
        <translation>Đang trao đổi với máy chủ tiếp nhận…</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <source>Nothing to send: everything was acknowledged.</source>
        <translation>Không có gì để gửi: mọi thứ đã được xác nhận đã nhận.</translation>
    </message>
    <message>
        <source>Written {name} for {recipient}.</source>
        <translation>Đã ghi {name} gửi {recipient}.</translation>
    </message>
    <message>
        <source>You can remove the USB stick now.</source>
        <translation>Có thể rút USB.</translation>
    </message>
    <message>
        <source>{count} bundle written.</source>
        <translation>Đã ghi {count} gói dữ liệu.</translation>
    </message>
    <message>
        <source>{count} bundles written.</source>
        <translation>Đã ghi {count} gói dữ liệu.</translation>
    </message>
    <message>
        <source>Sent {count} bundles to the hub.</source>
        <translation>Đã gửi {count} gói dữ liệu lên máy chủ tiếp nhận.</translation>
    </message>
    <message>
        <source>Nothing new from the hub.</source>
        <translation>Không có gì mới từ máy chủ tiếp nhận.</translation>
    </message>
</context>
<context>
    <name>SyncSummary</name>
    <message>
        <source>evaluation of {person} for {period}</source>
        <translation>bản đánh giá {period} của {person}</translation>
    </message>
    <message>
        <source>{code} of {date} by {person}</source>
        <translation>{code} ngày {date} của {person}</translation>
    </message>
    <message>
        <source>task {code} assigned to {person} for {period}</source>
        <translation>nhiệm vụ {code} giao cho {person}, {period}</translation>
    </message>
    <message>
        <source>proposal “{name}” by {person}</source>
        <translation>đề xuất sản phẩm “{name}” của {person}</translation>
    </message>
    <message>
        <source>leave of {person} from {start} to {end}</source>
        <translation>thời gian nghỉ của {person} từ {start} đến {end}</translation>
    </message>
    <message>
        <source>discipline record of {person} ({year})</source>
        <translation>kỷ luật của {person} (năm {year})</translation>
    </message>
    <message>
        <source>appeal of {person} about {period}</source>
        <translation>kiến nghị của {person} về {period}</translation>
    </message>
    <message>
        <source>annual result of {person} for {year}</source>
        <translation>kết quả xếp loại năm {year} của {person}</translation>
    </message>
    <message>
        <source>a work-log entry that is not on this PC</source>
        <translation>một mục nhật ký công việc không có trên máy này</translation>
    </message>
    <message>
        <source>a leader&apos;s review that is not on this PC</source>
        <translation>một ý kiến của lãnh đạo không có trên máy này</translation>
    </message>
    <message>
        <source>an assigned task that is not on this PC</source>
        <translation>một nhiệm vụ được giao không có trên máy này</translation>
    </message>
    <message>
        <source>a catalog proposal that is not on this PC</source>
        <translation>một đề xuất bổ sung danh mục không có trên máy này</translation>
    </message>
    <message>
        <source>a leave record that is not on this PC</source>
        <translation>một bản ghi thời gian nghỉ không có trên máy này</translation>
    </message>
    <message>
        <source>a discipline record that is not on this PC</source>
        <translation>một bản ghi kỷ luật không có trên máy này</translation>
    </message>
    <message>
        <source>an annual result that is not on this PC</source>
        <translation>một kết quả xếp loại năm không có trên máy này</translation>
    </message>
    <message>
        <source>an appeal that is not on this PC</source>
        <translation>một kiến nghị không có trên máy này</translation>
    </message>
    <message>
        <source>a decision on an appeal that is not on this PC</source>
        <translation>một quyết định giải quyết kiến nghị không có trên máy này</translation>
    </message>
    <message>
        <source>a record that is not on this PC</source>
        <translation>một bản ghi không có trên máy này</translation>
    </message>
    <message>
        <source>{n} entry confirmed</source>
        <translation>{n} mục được xác nhận</translation>
    </message>
    <message>
        <source>{n} entries confirmed</source>
        <translation>{n} mục được xác nhận</translation>
    </message>
    <message>
        <source>{n} returned</source>
        <translation>{n} bị trả lại</translation>
    </message>
    <message>
        <source>{n} entry to review</source>
        <translation>{n} mục cần xác nhận</translation>
    </message>
    <message>
        <source>{n} entries to review</source>
        <translation>{n} mục cần xác nhận</translation>
    </message>
    <message>
        <source>{n} assignment</source>
        <translation>{n} nhiệm vụ được giao</translation>
    </message>
    <message>
        <source>{n} assignments</source>
        <translation>{n} nhiệm vụ được giao</translation>
    </message>
    <message>
        <source>{n} month submitted</source>
        <translation>{n} tháng gửi đánh giá</translation>
    </message>
    <message>
        <source>{n} months submitted</source>
        <translation>{n} tháng gửi đánh giá</translation>
    </message>
    <message>
        <source>{n} month evaluated</source>
        <translation>{n} tháng đã được đánh giá</translation>
    </message>
    <message>
        <source>{n} months evaluated</source>
        <translation>{n} tháng đã được đánh giá</translation>
    </message>
    <message>
        <source>Received from {name}: {what}.</source>
        <translation>Đã nhận từ {name}: {what}.</translation>
    </message>
    <message>
        <source>The organisation file was imported.</source>
        <translation>Đã nhập tệp tổ chức.</translation>
    </message>
    <message>
        <source>Nothing new for you.</source>
        <translation>Không có gì mới cho đồng chí.</translation>
    </message>
    <message>
        <source>{n} older copy was ignored: a newer version is already here.</source>
        <translation>{n} bản cũ hơn được bỏ qua: máy đã có bản mới hơn.</translation>
    </message>
    <message>
        <source>{n} older copies were ignored: a newer version is already here.</source>
        <translation>{n} bản cũ hơn được bỏ qua: máy đã có bản mới hơn.</translation>
    </message>
    <message>
        <source>{n} bundle was imported before.</source>
        <translation>{n} gói đã được nhập từ trước.</translation>
    </message>
    <message>
        <source>{n} bundles were imported before.</source>
        <translation>{n} gói đã được nhập từ trước.</translation>
    </message>
    <message>
        <source>{n} bundle is for someone else — left on the USB stick.</source>
        <translation>{n} gói dành cho người khác — để nguyên trên USB.</translation>
    </message>
    <message>
        <source>{n} bundles are for other people — left on the USB stick.</source>
        <translation>{n} gói dành cho người khác — để nguyên trên USB.</translation>
    </message>
    <message>
        <source>{n} bundle you wrote for others is still on the USB stick.</source>
        <translation>{n} gói đồng chí gửi người khác vẫn để trên USB.</translation>
    </message>
    <message>
        <source>{n} bundles you wrote for others are still on the USB stick.</source>
        <translation>{n} gói đồng chí gửi người khác vẫn để trên USB.</translation>
    </message>
    <message>
        <source>Not imported: {file} from {sender} for {recipient}. {reason}</source>
        <translation>Không nhập được: {file} của {sender} gửi {recipient}. {reason}</translation>
    </message>
    <message>
        <source>Held for a decision: {file} from {sender}. {reason}</source>
        <translation>Đang giữ lại chờ quyết định: {file} của {sender}. {reason}</translation>
    </message>
    <message>
        <source>Not accepted from {sender}: {what}. {reason}</source>
        <translation>Không nhận từ {sender}: {what}. {reason}</translation>
    </message>
    <message>
        <source>No bundles found there.</source>
        <translation>Không tìm thấy gói dữ liệu nào ở đó.</translation>
    </message>
    <message>
        <source>the agency</source>
        <translation>cơ quan</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>The head above (default)</source>
        <translation>Người đứng đầu cấp trên (mặc định)</translation>
    </message>
    <message>
        <source>Transfer a person</source>
        <translation>Điều động công chức</translation>
    </message>
    <message>
        <source>Person:</source>
        <translation>Người:</translation>
    </message>
    <message>
        <source>Membership history</source>
        <translation>Quá trình công tác</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Check the date</source>
        <translation>Kiểm tra ngày</translation>
    </message>
    <message>
        <source>Is this the date of the decision?</source>
        <translation>Đây có đúng là ngày của quyết định không?</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Decision / reason</source>
        <translation>Quyết định / lý do</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Tháng</translation>
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
        <source>Evaluator</source>
        <translation>Người đánh giá</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <source>New unit:</source>
        <translation>Đơn vị mới:</translation>
    </message>
    <message>
        <source>From date:</source>
        <translation>Từ ngày:</translation>
    </message>
    <message>
        <source>Decision number:</source>
        <translation>Số quyết định:</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <source>Successor evaluator:</source>
        <translation>Người đánh giá kế nhiệm:</translation>
    </message>
    <message>
        <source>e.g. 112/QĐ-UBND</source>
        <translation>ví dụ 112/QĐ-UBND</translation>
    </message>
    <message>
        <source>e.g. transfer according to work needs</source>
        <translation>ví dụ điều động theo yêu cầu công tác</translation>
    </message>
    <message>
        <source>The current membership ends the day before; the head of the new unit becomes the evaluator. Months already evaluated stay with their unit and evaluator, and the new unit classifies the year with all of them (Decree 335, Article 19.1).</source>
        <translation>Quá trình công tác hiện tại kết thúc vào ngày liền trước; người đứng đầu đơn vị mới trở thành người đánh giá. Các tháng đã đánh giá vẫn gắn với đơn vị và người đánh giá cũ, và đơn vị mới xếp loại cả năm dựa trên tất cả các tháng đó (khoản 1 Điều 19 Nghị định số 335/2025/NĐ-CP).</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Điều động</translation>
    </message>
    <message>
        <source>Now in: {unit}</source>
        <translation>Hiện công tác tại: {unit}</translation>
    </message>
    <message>
        <source>Evaluators: {list}</source>
        <translation>Người đánh giá: {list}</translation>
    </message>
    <message>
        <source>Evaluated months of {year} and where they come from</source>
        <translation>Các tháng đã đánh giá năm {year} và nguồn của từng tháng</translation>
    </message>
    <message>
        <source>this agency</source>
        <translation>cơ quan này</translation>
    </message>
    <message>
        <source>received from {agency}</source>
        <translation>nhận từ {agency}</translation>
    </message>
    <message>
        <source>Transfer (reassignment or rotation)</source>
        <translation>Điều động, luân chuyển</translation>
    </message>
    <message>
        <source>This person evaluates {n} people ({names}); there is no head above: name the successor evaluator.</source>
        <translation>Người này đang đánh giá {n} công chức ({names}); không có người đứng đầu cấp trên: hãy chỉ định người đánh giá kế nhiệm.</translation>
    </message>
    <message>
        <source>This person evaluates {n} people ({names}); from {date} they are evaluated by {successor}.</source>
        <translation>Người này đang đánh giá {n} công chức ({names}); từ ngày {date}, những công chức này do {successor} đánh giá.</translation>
    </message>
    <message>
        <source>This person evaluates {n} people ({names}); from {date} they are evaluated by the head above, {successor}.</source>
        <translation>Người này đang đánh giá {n} công chức ({names}); từ ngày {date}, những công chức này do người đứng đầu cấp trên là {successor} đánh giá.</translation>
    </message>
    <message>
        <source>{person} belongs to {unit} from {date}.</source>
        <translation>{person} công tác tại {unit} từ ngày {date}.</translation>
    </message>
    <message>
        <source>{n} people they evaluated are now evaluated by {successor}.</source>
        <translation>{n} công chức do người này đánh giá nay do {successor} đánh giá.</translation>
    </message>
</context>
<context>
    <name>Transfers</name>
    <message>
        <source>Evaluated in {unit} by {evaluator}</source>
        <translation>Đánh giá tại {unit}, người đánh giá: {evaluator}</translation>
    </message>
    <message>
        <source>Evaluated in {unit} ({agency}) by {evaluator}; received with the transfer</source>
        <translation>Đánh giá tại {unit} ({agency}), người đánh giá: {evaluator}; nhận theo hồ sơ chuyển công tác</translation>
    </message>
</context>
<context>
    <name>UnitViewPage</name>
    <message>
        <source>Unit view</source>
        <translation>Tổng hợp đơn vị</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>Năm:</translation>
    </message>
    <message>
        <source>Filter by name…</source>
        <translation>Lọc theo tên…</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>Nhật ký thao tác…</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Tất cả các mức</translation>
    </message>
    <message>
        <source>Double-click a person to see why they got their score. Monthly levels are indicative; the year&apos;s level is decided in the year-end classification.</source>
        <translation>Nháy đúp vào một người để xem cách tính điểm. Mức hằng tháng chỉ là mức tương ứng; mức của năm do xếp loại cuối năm quyết định.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Distribution of levels</source>
        <translation>Phân bố mức xếp loại</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>Số tháng</translation>
    </message>
    <message>
        <source>Months entirely on leave, not in the mean (Article 11.2): {months}</source>
        <translation>Các tháng nghỉ cả tháng, không tính vào điểm trung bình (khoản 2 Điều 11): {months}</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Điểm TB</translation>
    </message>
    <message>
        <source>Mean of the months of the half year (Article 17.3)</source>
        <translation>Điểm trung bình cộng các tháng của 6 tháng (khoản 3 Điều 17)</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mức xếp loại</translation>
    </message>
    <message>
        <source>Lea&amp;ve…</source>
        <translation>&amp;Thời gian nghỉ…</translation>
    </message>
    <message>
        <source>Sick, maternity or unpaid personal leave of the selected person (Article 11.2)</source>
        <translation>Nghỉ ốm, nghỉ thai sản hoặc nghỉ việc riêng không hưởng lương của người được chọn (khoản 2 Điều 11)</translation>
    </message>
    <message>
        <source>Whole year</source>
        <translation>Cả năm</translation>
    </message>
    <message>
        <source>First half</source>
        <translation>6 tháng đầu năm</translation>
    </message>
    <message>
        <source>Second half</source>
        <translation>6 tháng cuối năm</translation>
    </message>
    <message>
        <source>Excellent quota exceeded in {n} group(s); see the year-end classification.</source>
        <translation>Vượt tỷ lệ Hoàn thành xuất sắc ở {n} nhóm; xem phần xếp loại cuối năm.</translation>
    </message>
    <message>
        <source>The Excellent quota is respected.</source>
        <translation>Bảo đảm tỷ lệ Hoàn thành xuất sắc.</translation>
    </message>
</context>
<context>
    <name>Weekday</name>
    <message>
        <source>Mon</source>
        <translation>T2</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>T3</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>T4</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>T5</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>T6</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>T7</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>CN</translation>
    </message>
</context>
<context>
    <name>WhyDialog</name>
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
        <source>Why: {name}</source>
        <translation>Cách tính điểm: {name}</translation>
    </message>
    <message>
        <source>a {a} %, b {b} %, c {c} %; task points {tp}; general criteria {g}; total {t} ({level}); policy {policy}</source>
        <translation>a {a}%, b {b}%, c {c}%; điểm kết quả thực hiện nhiệm vụ {tp}; tiêu chí chung {g}; tổng điểm {t} ({level}); quy tắc chấm điểm {policy}</translation>
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
        <translation>sai sót lớn ×{n}</translation>
    </message>
    <message>
        <source>late ×{n}</source>
        <translation>chậm tiến độ ×{n}</translation>
    </message>
    <message>
        <source>objective cause of the quality errors: {reason}</source>
        <translation>nguyên nhân khách quan của sai sót lớn: {reason}</translation>
    </message>
    <message>
        <source>objective cause of the delays: {reason}</source>
        <translation>nguyên nhân khách quan của việc chậm: {reason}</translation>
    </message>
    <message>
        <source>Objective cause of the quality errors confirmed (Article 14.2(b)): no quality deduction. {reason}</source>
        <translation>Sai sót lớn do nguyên nhân khách quan được xác nhận (điểm b khoản 2 Điều 14): không trừ điểm chất lượng. {reason}</translation>
    </message>
    <message>
        <source>Objective cause of the delays confirmed (Article 14.2(c)): no timeliness deduction. {reason}</source>
        <translation>Chậm tiến độ do nguyên nhân khách quan được xác nhận (điểm c khoản 2 Điều 14): không trừ điểm tiến độ. {reason}</translation>
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
        <translation>Số lần sai sót lớn về nội dung: {n} (mỗi lần trừ 25%).</translation>
    </message>
    <message>
        <source>Missed deadlines: {n} (−25 % each).</source>
        <translation>Số lần chậm tiến độ: {n} (mỗi lần trừ 25%).</translation>
    </message>
</context>
<context>
    <name>WorkLogPage</name>
    <message>
        <source>Today / Work log</source>
        <translation>Hôm nay / Nhật ký</translation>
    </message>
    <message>
        <source>Previous day (Ctrl+PgUp)</source>
        <translation>Ngày trước (Ctrl+PgUp)</translation>
    </message>
    <message>
        <source>Next day (Ctrl+PgDown)</source>
        <translation>Ngày sau (Ctrl+PgDown)</translation>
    </message>
    <message>
        <source>&amp;Today</source>
        <translation>Hô&amp;m nay</translation>
    </message>
    <message>
        <source>Go to today (Alt+Home)</source>
        <translation>Về hôm nay (Alt+Home)</translation>
    </message>
    <message>
        <source>Da&amp;y</source>
        <translation>Ngà&amp;y</translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation>&amp;Tuần</translation>
    </message>
    <message>
        <source>The day shown</source>
        <translation>Ngày đang xem</translation>
    </message>
    <message>
        <source>New entry</source>
        <translation>Mục mới</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <source>Next day</source>
        <translation>Ngày sau</translation>
    </message>
    <message>
        <source>Previous day</source>
        <translation>Ngày trước</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>{day}: credited {credited} · time norm {norm} of {limit}</source>
        <translation>{day}: được tính {credited} · định mức {norm} trên {limit}</translation>
    </message>
    <message>
        <source>Above 8 hours on {days}: the leader will look at it; nothing is blocked.</source>
        <translation>Vượt 8 giờ vào ngày {days}: lãnh đạo sẽ xem xét, việc ghi vẫn được chấp nhận.</translation>
    </message>
    <message>
        <source>No entries on this day yet: press Ctrl+N to log work.</source>
        <translation>Chưa có mục nào trong ngày: nhấn Ctrl+N để ghi nhật ký.</translation>
    </message>
    <message>
        <source>{n} working day of this month has no entry: {days}</source>
        <translation>{n} ngày làm việc trong tháng này chưa có nhật ký: {days}</translation>
    </message>
    <message>
        <source>{n} working days of this month have no entry: {days}</source>
        <translation>{n} ngày làm việc trong tháng này chưa có nhật ký: {days}</translation>
    </message>
    <message>
        <source>Week of {date}</source>
        <translation>Tuần của ngày {date}</translation>
    </message>
    <message>
        <source>Work log of {date}</source>
        <translation>Nhật ký công việc ngày {date}</translation>
    </message>
    <message>
        <source>Work log saved.</source>
        <translation>Đã lưu nhật ký công việc.</translation>
    </message>
</context>
<context>
    <name>YearClassificationPage</name>
    <message>
        <source>Year-end classification</source>
        <translation>Xếp loại chất lượng cuối năm</translation>
    </message>
    <message>
        <source>Year:</source>
        <translation>Năm:</translation>
    </message>
    <message>
        <source>Outstanding organisation (quota 25 %)</source>
        <translation>Tổ chức có thành tích xuất sắc, nổi trội (tỷ lệ tối đa 25%)</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Công chức</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>Số tháng</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>Điểm TB</translation>
    </message>
    <message>
        <source>By the scores</source>
        <translation>Theo điểm</translation>
    </message>
    <message>
        <source>Self-rating</source>
        <translation>Tự xếp loại</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Mức được quyết định</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Quyết định</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Form 02 decision</source>
        <translation>Quyết định xếp loại (Mẫu số 02)</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Mức xếp loại</translation>
    </message>
    <message>
        <source>Minutes of the year-end meeting</source>
        <translation>Biên bản họp cuối năm</translation>
    </message>
    <message>
        <source>Decision number</source>
        <translation>Số quyết định</translation>
    </message>
    <message>
        <source>Decision date</source>
        <translation>Ngày quyết định</translation>
    </message>
    <message>
        <source>Reason (needed for a lower level)</source>
        <translation>Lý do (bắt buộc khi xếp mức thấp hơn)</translation>
    </message>
    <message>
        <source>Quota note</source>
        <translation>Ghi chú về tỷ lệ</translation>
    </message>
    <message>
        <source>Record the decision</source>
        <translation>Ghi quyết định</translation>
    </message>
    <message>
        <source>Replacement decision</source>
        <translation>Quyết định thay thế</translation>
    </message>
    <message>
        <source>Record discipline…</source>
        <translation>Ghi kỷ luật…</translation>
    </message>
    <message>
        <source>Decisions (oldest first)</source>
        <translation>Các quyết định (cũ nhất trước)</translation>
    </message>
    <message>
        <source>unit {name}</source>
        <translation>đơn vị {name}</translation>
    </message>
    <message>
        <source>group “{name}”</source>
        <translation>nhóm “{name}”</translation>
    </message>
    <message>
        <source>{where}: {excellent} Excellent, {limit} allowed ({good} Good) — over by {excess}. Candidates, lowest mean first: {names}.</source>
        <translation>{where}: {excellent} người Hoàn thành xuất sắc, được phép {limit} ({good} người Hoàn thành tốt) — vượt {excess}. Người cần xem xét, điểm trung bình thấp nhất trước: {names}.</translation>
    </message>
    <message>
        <source>Excellent quota exceeded — the approver decides; nobody is moved down automatically.</source>
        <translation>Vượt tỷ lệ Hoàn thành xuất sắc — cấp có thẩm quyền quyết định; không ai bị tự động hạ mức.</translation>
    </message>
    <message>
        <source>The Excellent quota is respected (policy {v}).</source>
        <translation>Bảo đảm tỷ lệ Hoàn thành xuất sắc nhiệm vụ (quy tắc chấm điểm {v}).</translation>
    </message>
    <message>
        <source>replaced {n} time(s)</source>
        <translation>đã thay thế {n} lần</translation>
    </message>
    <message>
        <source>leaders</source>
        <translation>lãnh đạo, quản lý</translation>
    </message>
    <message>
        <source>professional staff</source>
        <translation>công chức chuyên môn</translation>
    </message>
    <message>
        <source>Select a person.</source>
        <translation>Chọn một công chức.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: {months} months, mean {mean} → {level}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;: {months} tháng, điểm trung bình {mean} → {level}</translation>
    </message>
    <message>
        <source>Only this person&apos;s evaluator can decide their classification.</source>
        <translation>Chỉ cấp có thẩm quyền đánh giá người này mới được quyết định xếp loại.</translation>
    </message>
    <message>
        <source>decision {no} of {date}: {level}</source>
        <translation>quyết định {no} ngày {date}: {level}</translation>
    </message>
    <message>
        <source>self-rating: {level}</source>
        <translation>tự xếp loại: {level}</translation>
    </message>
    <message>
        <source>Decision recorded: {name}, {year}.</source>
        <translation>Đã ghi quyết định xếp loại: {name}, năm {year}.</translation>
    </message>
    <message>
        <source>Discipline recorded: {name}.</source>
        <translation>Đã ghi quyết định kỷ luật: {name}.</translation>
    </message>
    <message>
        <source>Replacement decision recorded; the old one is kept.</source>
        <translation>Đã ghi quyết định thay thế; quyết định cũ vẫn được lưu.</translation>
    </message>
</context>
<context>
    <name>YearReason</name>
    <message>
        <source>classified on leave</source>
        <translation>xếp loại theo thời gian công tác thực tế</translation>
    </message>
    <message>
        <source>fewer than 6 months worked</source>
        <translation>thời gian công tác chưa đủ 06 tháng (khoản 1 Điều 11)</translation>
    </message>
    <message>
        <source>no evaluated month</source>
        <translation>chưa có tháng nào được đánh giá</translation>
    </message>
    <message>
        <source>disciplined</source>
        <translation>bị kỷ luật</translation>
    </message>
    <message>
        <source>capped by the organisation&apos;s level</source>
        <translation>không cao hơn mức xếp loại của cơ quan, đơn vị</translation>
    </message>
</context>
</TS>
