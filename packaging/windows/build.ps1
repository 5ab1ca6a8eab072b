# Build KPI Desktop on a Windows machine (PowerShell, Python 3.11+ x64 installed):
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Produces dist\kpi-desktop\ (one folder) and, when Inno Setup 6 is installed, the installer.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
py -3.11 -m venv .venv-win
.\.venv-win\Scripts\python -m pip install --upgrade pip
.\.venv-win\Scripts\python -m pip install -e ".[dev]"
.\.venv-win\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\kpi_desktop.spec
$env:QT_QPA_PLATFORM = "offscreen"
$data = Join-Path $env:TEMP "kpi-desktop-smoke"
if (Test-Path $data) { Remove-Item -Recurse -Force $data }
& .\dist\kpi-desktop\kpi-desktop.exe --data-dir $data --selftest
if ($LASTEXITCODE -ne 0) { throw "smoke test failed" }
Remove-Item Env:\QT_QPA_PLATFORM
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (Test-Path $iscc) { & $iscc packaging\windows\kpi_desktop.iss } else { Write-Host "Inno Setup 6 not found: skipped the installer" }
