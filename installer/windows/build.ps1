# Build the Windows bundle (build\dist\workbench) and, when Inno Setup 6 is installed, the per-user installer.
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Needs Python 3.11+ on PATH (py launcher or python). Build on Windows: PyInstaller does not cross-compile.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$started = Get-Date
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv; if ($LASTEXITCODE) { python -m venv .venv } }
.venv\Scripts\python.exe -m pip install -q --disable-pip-version-check -e ".[bundle]"
if ($LASTEXITCODE) { throw "pip install failed" }
.venv\Scripts\pyinstaller.exe --noconfirm --clean --log-level WARN --distpath build\dist --workpath build\pyinstaller installer\workbench.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }
$version = (.venv\Scripts\python.exe -c "from workbench import __version__; print(__version__)").Trim()
& build\dist\workbench\workbench.exe --version
if ($LASTEXITCODE) { throw "the bundled program does not start" }
$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe") |
  Where-Object { Test-Path $_ } | Select-Object -First 1
if ($iscc) {
  & $iscc /Q "/DAppVersion=$version" installer\windows\workbench.iss
  if ($LASTEXITCODE) { throw "Inno Setup failed" }
  Write-Host "installer: dist\mlops-audit-workbench-$version-setup.exe"
} else {
  Write-Host "Inno Setup 6 not found: the bundle is in build\dist\workbench (install Inno Setup for the installer)"
}
$size = (Get-ChildItem build\dist\workbench -Recurse | Measure-Object Length -Sum).Sum / 1MB
Write-Host ("bundle: {0:N0} MiB, build time: {1:N0} s" -f $size, ((Get-Date) - $started).TotalSeconds)
