/** The names a credledger document uses for the credential it carries, shared by writer and reader. */

/** File name of the attached credential. */
export const attachmentName = 'credential.jwt';

/** Media type of a VC secured with JOSE. @see https://www.w3.org/TR/vc-jose-cose/#vc-json-jwt */
export const credentialMediaType = 'application/vc+jwt';

/** Key of the document information dictionary that names the credential's id. */
export const credentialIdKey = 'CredentialID';
