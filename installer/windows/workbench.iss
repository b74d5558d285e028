; Inno Setup script: per-user installer of the Windows bundle (no administrator rights needed).
;   1. build the bundle:   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
;   2. build the installer: "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\workbench.iss
; Output: dist\mlops-audit-workbench-<version>-setup.exe
;
; The program goes to %LOCALAPPDATA%\Programs\MLOps Audit Workbench. The auditor's data never lives there:
; the workspace and identities are in %LOCALAPPDATA%\workbench, the preferences in %LOCALAPPDATA%\workbench
; (platformdirs' user folders), so upgrading replaces the program only and uninstalling keeps the workspace.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "MLOps Audit Workbench"
#define Root ".."
#define Bundle Root + "\..\build\dist\workbench"

[Setup]
AppId={{6C1B2F0E-7A43-4B8E-9F55-3E1D2A7C9B41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=MLOps Audit Workbench
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
DisableProgramGroupPage=yes
OutputDir={#Root}\..\dist
OutputBaseFilename=mlops-audit-workbench-{#AppVersion}-setup
SetupIconFile={#Root}\..\resources\icons\workbench.ico
UninstallDisplayIcon={app}\workbench-gui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the 'workbench' command to PATH (for the command line)"; Flags: unchecked

[Files]
; the whole one-folder bundle; replaced on upgrade, so no stale library survives
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\workbench-gui.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\workbench-gui.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\workbench-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the program folder: %LOCALAPPDATA%\workbench (workspace, identities, preferences, logs) is kept
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    MsgBox('The program was removed. Your workspace, signing identities and preferences were kept in ' +
           ExpandConstant('{localappdata}') + '\workbench.', mbInformation, MB_OK);
end;
