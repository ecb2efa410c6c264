export { IdentityService } from './identity-service.js'
export type { IdentityEvent, IdentityServiceOptions, IdentityStatus, IdleTimers } from './identity-service.js'
export { BACKUP_FORMAT, decodeBackup, encodeBackup, type IdentityBackup } from './backup.js'
