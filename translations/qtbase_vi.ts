<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Vietnamese for the Qt strings KPI Desktop's users see (Qt ships no Vietnamese):
     dialog buttons, message boxes, Qt's own file dialog, wizard buttons, context menus.
     Written by hand; compiled with "python packaging/i18n.py release";
     tests/gui/test_qt_strings.py checks that what these dialogs ask Qt for is here. -->
<TS version="2.1" language="vi_VN">
    <context>
        <name>QAbstractFileIconProvider</name>
        <message>
            <source>Drive</source>
            <translation>Ổ đĩa</translation>
        </message>
        <message>
            <source>File Folder</source>
            <comment>Match Windows Explorer</comment>
            <translation>Thư mục</translation>
        </message>
        <message>
            <source>Folder</source>
            <comment>All other platforms</comment>
            <translation>Thư mục</translation>
        </message>
        <message>
            <source>Alias</source>
            <comment>macOS Finder</comment>
            <translation>Lối tắt</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <comment>All other platforms</comment>
            <translation>Lối tắt</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>Không rõ</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Tệp</translation>
        </message>
    </context>
    <context>
        <name>QAbstractSpinBox</name>
        <message>
            <source>&amp;Select All</source>
            <translation>&amp;Chọn tất cả</translation>
        </message>
        <message>
            <source>&amp;Step up</source>
            <translation>&amp;Tăng</translation>
        </message>
        <message>
            <source>Step &amp;down</source>
            <translation>&amp;Giảm</translation>
        </message>
    </context>
    <context>
        <name>QColorDialog</name>
        <message>
            <source>Select Color</source>
            <translation>Chọn màu</translation>
        </message>
        <message>
            <source>&amp;Basic colors</source>
            <translation>Màu &amp;cơ bản</translation>
        </message>
        <message>
            <source>&amp;Custom colors</source>
            <translation>Màu &amp;tự chọn</translation>
        </message>
        <message>
            <source>&amp;Add to Custom Colors</source>
            <translation>&amp;Thêm vào màu tự chọn</translation>
        </message>
        <message>
            <source>&amp;Pick Screen Color</source>
            <translation>&amp;Lấy màu trên màn hình</translation>
        </message>
        <message>
            <source>Hu&amp;e:</source>
            <translation>Sắc &amp;độ:</translation>
        </message>
        <message>
            <source>&amp;Sat:</source>
            <translation>Độ &amp;bão hòa:</translation>
        </message>
        <message>
            <source>&amp;Val:</source>
            <translation>Độ &amp;sáng:</translation>
        </message>
        <message>
            <source>&amp;Red:</source>
            <translation>&amp;Đỏ:</translation>
        </message>
        <message>
            <source>&amp;Green:</source>
            <translation>&amp;Xanh lá:</translation>
        </message>
        <message>
            <source>Bl&amp;ue:</source>
            <translation>Xanh &amp;dương:</translation>
        </message>
        <message>
            <source>A&amp;lpha channel:</source>
            <translation>Độ &amp;trong suốt:</translation>
        </message>
        <message>
            <source>&amp;HTML:</source>
            <translation>&amp;HTML:</translation>
        </message>
        <message>
            <source>Cursor at %1, %2
Press ESC to cancel</source>
            <translation>Con trỏ ở %1, %2
Bấm ESC để hủy</translation>
        </message>
    </context>
    <context>
        <name>QComboBox</name>
        <message>
            <source>Open the combo box selection popup</source>
            <translation>Mở danh sách chọn</translation>
        </message>
        <message>
            <source>False</source>
            <translation>Sai</translation>
        </message>
        <message>
            <source>True</source>
            <translation>Đúng</translation>
        </message>
    </context>
    <context>
        <name>QDialogButtonBox</name>
        <message>
            <source>OK</source>
            <translation>Đồng ý</translation>
        </message>
        <message>
            <source>&amp;OK</source>
            <translation>&amp;Đồng ý</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>&amp;Hủy</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>&amp;Yes</source>
            <translation>&amp;Có</translation>
        </message>
        <message>
            <source>&amp;No</source>
            <translation>&amp;Không</translation>
        </message>
        <message>
            <source>&amp;Close</source>
            <translation>Đó&amp;ng</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Áp dụng</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Mở</translation>
        </message>
        <message>
            <source>Help</source>
            <translation>Trợ giúp</translation>
        </message>
    </context>
    <context>
        <name>QDockWidget</name>
        <message>
            <source>Float</source>
            <translation>Tách ra</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
    </context>
    <context>
        <name>QErrorMessage</name>
        <message>
            <source>&amp;Show this message again</source>
            <translation>&amp;Hiện lại thông báo này</translation>
        </message>
        <message>
            <source>&amp;OK</source>
            <translation>&amp;Đồng ý</translation>
        </message>
        <message>
            <source>Debug Message:</source>
            <translation>Thông báo gỡ lỗi:</translation>
        </message>
        <message>
            <source>Warning:</source>
            <translation>Cảnh báo:</translation>
        </message>
        <message>
            <source>Critical Error:</source>
            <translation>Lỗi nghiêm trọng:</translation>
        </message>
        <message>
            <source>Fatal Error:</source>
            <translation>Lỗi không thể tiếp tục:</translation>
        </message>
        <message>
            <source>Information:</source>
            <translation>Thông tin:</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>Look in:</source>
            <translation>Tìm trong:</translation>
        </message>
        <message>
            <source>&amp;Look in:</source>
            <translation>&amp;Tìm trong:</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>Lùi</translation>
        </message>
        <message>
            <source>Go back</source>
            <translation>Quay lại</translation>
        </message>
        <message>
            <source>Forward</source>
            <translation>Tới</translation>
        </message>
        <message>
            <source>Go forward</source>
            <translation>Đi tới</translation>
        </message>
        <message>
            <source>Parent Directory</source>
            <translation>Thư mục cha</translation>
        </message>
        <message>
            <source>Go to the parent directory</source>
            <translation>Lên thư mục cha</translation>
        </message>
        <message>
            <source>Create New Folder</source>
            <translation>Tạo thư mục mới</translation>
        </message>
        <message>
            <source>Create a New Folder</source>
            <translation>Tạo một thư mục mới</translation>
        </message>
        <message>
            <source>List View</source>
            <translation>Dạng danh sách</translation>
        </message>
        <message>
            <source>Change to list view mode</source>
            <translation>Xem dạng danh sách</translation>
        </message>
        <message>
            <source>Detail View</source>
            <translation>Dạng chi tiết</translation>
        </message>
        <message>
            <source>Change to detail view mode</source>
            <translation>Xem dạng chi tiết</translation>
        </message>
        <message>
            <source>Sidebar</source>
            <translation>Thanh bên</translation>
        </message>
        <message>
            <source>List of places and bookmarks</source>
            <translation>Danh sách vị trí và dấu trang</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>Tệp</translation>
        </message>
        <message>
            <source>Files of type:</source>
            <translation>Loại tệp:</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>&amp;Loại tệp:</translation>
        </message>
        <message>
            <source>Find Directory</source>
            <translation>Chọn thư mục</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Mở</translation>
        </message>
        <message>
            <source>Save As</source>
            <translation>Lưu thành</translation>
        </message>
        <message>
            <source>Directory:</source>
            <translation>Thư mục:</translation>
        </message>
        <message>
            <source>File &amp;name:</source>
            <translation>Tên &amp;tệp:</translation>
        </message>
        <message>
            <source>&amp;Open</source>
            <translation>&amp;Mở</translation>
        </message>
        <message>
            <source>&amp;Choose</source>
            <translation>&amp;Chọn</translation>
        </message>
        <message>
            <source>&amp;Save</source>
            <translation>&amp;Lưu</translation>
        </message>
        <message>
            <source>All Files (*)</source>
            <translation>Mọi tệp (*)</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>Mọi tệp (*)</translation>
        </message>
        <message>
            <source>Show </source>
            <translation>Hiện </translation>
        </message>
        <message>
            <source>&amp;Rename</source>
            <translation>Đổi &amp;tên</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>&amp;Xóa</translation>
        </message>
        <message>
            <source>Show &amp;hidden files</source>
            <translation>Hiện tệp &amp;ẩn</translation>
        </message>
        <message>
            <source>&amp;New Folder</source>
            <translation>Thư mục &amp;mới</translation>
        </message>
        <message>
            <source>Directories</source>
            <translation>Thư mục</translation>
        </message>
        <message>
            <source>%1
Directory not found.
Please verify the correct directory name was given.</source>
            <translation>%1
Không tìm thấy thư mục.
Hãy kiểm tra lại tên thư mục.</translation>
        </message>
        <message>
            <source>%1 already exists.
Do you want to replace it?</source>
            <translation>%1 đã có.
Ghi đè lên tệp đó?</translation>
        </message>
        <message>
            <source>%1
File not found.
Please verify the correct file name was given.</source>
            <translation>%1
Không tìm thấy tệp.
Hãy kiểm tra lại tên tệp.</translation>
        </message>
        <message>
            <source>'%1' is write protected.
Do you want to delete it anyway?</source>
            <translation>'%1' đang được bảo vệ chống ghi.
Vẫn xóa?</translation>
        </message>
        <message>
            <source>New Folder</source>
            <translation>Thư mục mới</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <source>Are you sure you want to delete '%1'?</source>
            <translation>Xóa '%1'?</translation>
        </message>
        <message>
            <source>Could not delete directory.</source>
            <translation>Không xóa được thư mục.</translation>
        </message>
        <message>
            <source>Recent Places</source>
            <translation>Vị trí gần đây</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Bỏ khỏi danh sách</translation>
        </message>
        <message>
            <source>Alt+Left</source>
            <translation>Alt+Left</translation>
        </message>
        <message>
            <source>Alt+Right</source>
            <translation>Alt+Right</translation>
        </message>
        <message>
            <source>Alt+Up</source>
            <translation>Alt+Up</translation>
        </message>
    </context>
    <context>
        <name>QFileSystemModel</name>
        <message>
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Kích thước</translation>
        </message>
        <message>
            <source>Kind</source>
            <comment>Match OS X Finder</comment>
            <translation>Loại</translation>
        </message>
        <message>
            <source>Type</source>
            <comment>All other platforms</comment>
            <translation>Loại</translation>
        </message>
        <message>
            <source>Date Modified</source>
            <translation>Ngày sửa</translation>
        </message>
        <message>
            <source>My Computer</source>
            <translation>Máy tính</translation>
        </message>
        <message>
            <source>Computer</source>
            <translation>Máy tính</translation>
        </message>
    </context>
    <context>
        <name>QGuiApplication</name>
        <message>
            <source>QT_LAYOUT_DIRECTION</source>
            <comment>Translate this string to the string 'LTR' in left-to-right languages or to 'RTL' in right-to-left languages (such as Hebrew and Arabic) to get proper widget layout.</comment>
            <translation>LTR</translation>
        </message>
    </context>
    <context>
        <name>QInputDialog</name>
        <message>
            <source>Enter a value:</source>
            <translation>Nhập một giá trị:</translation>
        </message>
    </context>
    <context>
        <name>QKeySequenceEdit</name>
        <message>
            <source>Press shortcut</source>
            <translation>Bấm phím tắt</translation>
        </message>
    </context>
    <context>
        <name>QLineEdit</name>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Hoàn tác</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Làm lại</translation>
        </message>
        <message>
            <source>Cu&amp;t</source>
            <translation>&amp;Cắt</translation>
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation>S&amp;ao chép</translation>
        </message>
        <message>
            <source>&amp;Paste</source>
            <translation>&amp;Dán</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <source>Select All</source>
            <translation>Chọn tất cả</translation>
        </message>
    </context>
    <context>
        <name>QMessageBox</name>
        <message>
            <source>Show Details...</source>
            <translation>Xem chi tiết...</translation>
        </message>
        <message>
            <source>Hide Details...</source>
            <translation>Ẩn chi tiết...</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>Đồng ý</translation>
        </message>
        <message>
            <source>About Qt</source>
            <translation>Về Qt</translation>
        </message>
    </context>
    <context>
        <name>QMimeType</name>
        <!-- The "Type" column of the file dialog: descriptions from Qt's own MIME database
             (Windows, or a system without shared-mime-info) and the few that Debian's
             database has no Vietnamese for (Markdown, TOML). tests/gui/test_qt_strings.py -->
        <message>
            <source>Portable Document Format</source>
            <translation>Tài liệu PDF</translation>
        </message>
        <message>
            <source>Microsoft Word Document</source>
            <translation>Tài liệu Microsoft Word</translation>
        </message>
        <message>
            <source>Office Open XML Document</source>
            <translation>Tài liệu Word</translation>
        </message>
        <message>
            <source>Microsoft Excel Spreadsheet</source>
            <translation>Bảng tính Microsoft Excel</translation>
        </message>
        <message>
            <source>Office Open XML Workbook</source>
            <translation>Bảng tính Excel</translation>
        </message>
        <message>
            <source>Microsoft Powerpoint Presentation</source>
            <translation>Bản trình chiếu Microsoft PowerPoint</translation>
        </message>
        <message>
            <source>Office Open XML Presentation</source>
            <translation>Bản trình chiếu PowerPoint</translation>
        </message>
        <message>
            <source>OpenDocument v1.0: Text document</source>
            <translation>Văn bản OpenDocument</translation>
        </message>
        <message>
            <source>OpenDocument v1.0: Spreadsheet document</source>
            <translation>Bảng tính OpenDocument</translation>
        </message>
        <message>
            <source>OpenDocument v1.0: Presentation document</source>
            <translation>Bản trình chiếu OpenDocument</translation>
        </message>
        <message>
            <source>Rich Text Format File</source>
            <translation>Tài liệu RTF</translation>
        </message>
        <message>
            <source>Markdown document</source>
            <translation>Tài liệu Markdown</translation>
        </message>
        <message>
            <source>TOML document</source>
            <translation>Tệp cấu hình TOML</translation>
        </message>
        <message>
            <source>HyperText Markup Language</source>
            <translation>Trang web HTML</translation>
        </message>
        <message>
            <source>Extensible Markup Language</source>
            <translation>Tài liệu XML</translation>
        </message>
        <message>
            <source>Joint Photographic Experts Group</source>
            <translation>Ảnh JPEG</translation>
        </message>
        <message>
            <source>Portable Network Graphics</source>
            <translation>Ảnh PNG</translation>
        </message>
        <message>
            <source>Graphics Interchange Format</source>
            <translation>Ảnh GIF</translation>
        </message>
        <message>
            <source>Windows bitmap</source>
            <translation>Ảnh BMP</translation>
        </message>
        <message>
            <source>Tagged Image File Format</source>
            <translation>Ảnh TIFF</translation>
        </message>
        <message>
            <source>Scalable Vector Graphics</source>
            <translation>Ảnh SVG</translation>
        </message>
        <message>
            <source>Compressed Archive File</source>
            <translation>Tệp nén ZIP</translation>
        </message>
        <message>
            <source>RAR archive</source>
            <translation>Tệp nén RAR</translation>
        </message>
        <message>
            <source>7-zip archive</source>
            <translation>Tệp nén 7-Zip</translation>
        </message>
        <message>
            <source>Gzip Compressed Archive</source>
            <translation>Tệp nén Gzip</translation>
        </message>
        <message>
            <source>MPEG-1 Audio Layer 3</source>
            <translation>Âm thanh MP3</translation>
        </message>
        <message>
            <source>Audio Video Interleave File</source>
            <translation>Video AVI</translation>
        </message>
        <message>
            <source>QuickTime Video</source>
            <translation>Video QuickTime</translation>
        </message>
        <message>
            <source>DOS/Windows executable (EXE)</source>
            <translation>Chương trình Windows (EXE)</translation>
        </message>
        <message>
            <source>Microsoft Windows Installer</source>
            <translation>Bộ cài đặt Windows</translation>
        </message>
        <message>
            <source>Windows Batch / Command File</source>
            <translation>Tệp lệnh Windows</translation>
        </message>
        <message>
            <source>Configuration file</source>
            <translation>Tệp cấu hình</translation>
        </message>
        <message>
            <source>application log</source>
            <translation>Nhật ký ứng dụng</translation>
        </message>
        <message>
            <source>Python script</source>
            <translation>Mã Python</translation>
        </message>
        <message>
            <source>Directory</source>
            <translation>Thư mục</translation>
        </message>
    </context>
    <context>
        <name>QPlatformTheme</name>
        <message>
            <source>OK</source>
            <translation>Đồng ý</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <source>Save All</source>
            <translation>Lưu tất cả</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Mở</translation>
        </message>
        <message>
            <source>&amp;Yes</source>
            <translation>&amp;Có</translation>
        </message>
        <message>
            <source>Yes to &amp;All</source>
            <translation>Có cho &amp;tất cả</translation>
        </message>
        <message>
            <source>&amp;No</source>
            <translation>&amp;Không</translation>
        </message>
        <message>
            <source>N&amp;o to All</source>
            <translation>K&amp;hông cho tất cả</translation>
        </message>
        <message>
            <source>Abort</source>
            <translation>Dừng hẳn</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>Thử lại</translation>
        </message>
        <message>
            <source>Ignore</source>
            <translation>Bỏ qua</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>Không lưu</translation>
        </message>
        <message>
            <source>Help</source>
            <translation>Trợ giúp</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Áp dụng</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>Đặt lại</translation>
        </message>
        <message>
            <source>Restore Defaults</source>
            <translation>Khôi phục mặc định</translation>
        </message>
    </context>
    <context>
        <name>QPrintDialog</name>
        <message>
            <source>Print</source>
            <translation>In</translation>
        </message>
        <message>
            <source>&amp;Print</source>
            <translation>&amp;In</translation>
        </message>
        <message>
            <source>All Pages</source>
            <translation>Tất cả các trang</translation>
        </message>
        <message>
            <source>Odd Pages</source>
            <translation>Trang lẻ</translation>
        </message>
        <message>
            <source>Even Pages</source>
            <translation>Trang chẵn</translation>
        </message>
        <message>
            <source>&amp;Options &gt;&gt;</source>
            <translation>&amp;Tùy chọn &gt;&gt;</translation>
        </message>
        <message>
            <source>&amp;Options &lt;&lt;</source>
            <translation>&amp;Tùy chọn &lt;&lt;</translation>
        </message>
        <message>
            <source>Print to File (PDF)</source>
            <translation>In ra tệp (PDF)</translation>
        </message>
        <message>
            <source>Local file</source>
            <translation>Tệp trên máy</translation>
        </message>
        <message>
            <source>Write PDF file</source>
            <translation>Ghi tệp PDF</translation>
        </message>
        <message>
            <source>Print To File ...</source>
            <translation>In ra tệp...</translation>
        </message>
        <message>
            <source>%1 already exists.
Do you want to overwrite it?</source>
            <translation>%1 đã có.
Ghi đè lên tệp đó?</translation>
        </message>
        <message>
            <source>%1 is a directory.
Please choose a different file name.</source>
            <translation>%1 là một thư mục.
Hãy chọn tên tệp khác.</translation>
        </message>
        <message>
            <source>File %1 is not writable.
Please choose a different file name.</source>
            <translation>Không ghi được tệp %1.
Hãy chọn tên tệp khác.</translation>
        </message>
        <message>
            <source>Invalid Pages Definition</source>
            <translation>Khoảng trang không hợp lệ</translation>
        </message>
        <message>
            <source>The 'From' value cannot be greater than the 'To' value.</source>
            <translation>Trang 'Từ' không được lớn hơn trang 'Đến'.</translation>
        </message>
    </context>
    <context>
        <name>QProgressDialog</name>
        <message>
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
    </context>
    <context>
        <name>QScrollBar</name>
        <message>
            <source>Scroll here</source>
            <translation>Cuộn đến đây</translation>
        </message>
        <message>
            <source>Left edge</source>
            <translation>Mép trái</translation>
        </message>
        <message>
            <source>Top</source>
            <translation>Trên cùng</translation>
        </message>
        <message>
            <source>Right edge</source>
            <translation>Mép phải</translation>
        </message>
        <message>
            <source>Bottom</source>
            <translation>Dưới cùng</translation>
        </message>
        <message>
            <source>Page left</source>
            <translation>Trang trái</translation>
        </message>
        <message>
            <source>Page up</source>
            <translation>Trang trên</translation>
        </message>
        <message>
            <source>Page right</source>
            <translation>Trang phải</translation>
        </message>
        <message>
            <source>Page down</source>
            <translation>Trang dưới</translation>
        </message>
        <message>
            <source>Scroll left</source>
            <translation>Cuộn trái</translation>
        </message>
        <message>
            <source>Scroll up</source>
            <translation>Cuộn lên</translation>
        </message>
        <message>
            <source>Scroll right</source>
            <translation>Cuộn phải</translation>
        </message>
        <message>
            <source>Scroll down</source>
            <translation>Cuộn xuống</translation>
        </message>
    </context>
    <context>
        <name>QTabBar</name>
        <message>
            <source>Scroll Left</source>
            <translation>Cuộn trái</translation>
        </message>
        <message>
            <source>Scroll Right</source>
            <translation>Cuộn phải</translation>
        </message>
    </context>
    <context>
        <name>QUnicodeControlCharacterMenu</name>
        <message>
            <source>Insert Unicode control character</source>
            <translation>Chèn ký tự điều khiển Unicode</translation>
        </message>
    </context>
    <context>
        <name>QWidgetTextControl</name>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Hoàn tác</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Làm lại</translation>
        </message>
        <message>
            <source>Cu&amp;t</source>
            <translation>&amp;Cắt</translation>
        </message>
        <message>
            <source>&amp;Copy</source>
            <translation>S&amp;ao chép</translation>
        </message>
        <message>
            <source>Copy &amp;Link Location</source>
            <translation>Sao chép địa chỉ &amp;liên kết</translation>
        </message>
        <message>
            <source>&amp;Paste</source>
            <translation>&amp;Dán</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <source>Select All</source>
            <translation>Chọn tất cả</translation>
        </message>
    </context>
    <context>
        <name>QWizard</name>
        <message>
            <source>Go Back</source>
            <translation>Quay lại</translation>
        </message>
        <message>
            <source>&lt; &amp;Back</source>
            <translation>&lt; &amp;Quay lại</translation>
        </message>
        <message>
            <source>Continue</source>
            <translation>Tiếp tục</translation>
        </message>
        <message>
            <source>&amp;Next</source>
            <translation>&amp;Tiếp</translation>
        </message>
        <message>
            <source>&amp;Next &gt;</source>
            <translation>&amp;Tiếp &gt;</translation>
        </message>
        <message>
            <source>Commit</source>
            <translation>Xác nhận</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Xong</translation>
        </message>
        <message>
            <source>&amp;Finish</source>
            <translation>&amp;Hoàn tất</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <source>Help</source>
            <translation>Trợ giúp</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Trợ giúp</translation>
        </message>
    </context>
</TS>
