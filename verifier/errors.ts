/** The verdict codes and their error live in core: every role's verification raises them. */
export { VERIFY_CODES, VerificationError, isVerifyCode, toVerificationError, type VerifyCode } from '../core/verification-errors.js';
