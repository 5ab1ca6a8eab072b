; Inno Setup script for KPI Desktop (Windows installer).
; Build the one-folder application first (packaging\windows\build.ps1), then:
;   iscc packaging\windows\kpi_desktop.iss      -> dist\KPI-Desktop-Setup-<version>.exe
#define AppName "KPI Desktop"
#define AppVersion "0.1.0"

[Setup]
AppId={{6E3A2B7C-6C1F-4E0B-9A55-335000000001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=KPI Desktop
DefaultDirName={autopf}\KPI Desktop
DefaultGroupName=KPI Desktop
OutputDir=..\..\dist
OutputBaseFilename=KPI-Desktop-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern

[Languages]
Name: "vietnamese"; MessagesFile: "compiler:Languages\Vietnamese.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\kpi-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\KPI Desktop"; Filename: "{app}\kpi-desktop.exe"
Name: "{autodesktop}\KPI Desktop"; Filename: "{app}\kpi-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\kpi-desktop.exe"; Description: "{cm:LaunchProgram,KPI Desktop}"; Flags: nowait postinstall skipifsilent
; User data (database, backups, logs) lives in %LOCALAPPDATA%\KPI Desktop and is never removed
; by the uninstaller.
