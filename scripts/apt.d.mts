export function canInstallWithApt(): boolean;
export function aptInstall(installArgs: string[], hint: string): void;
