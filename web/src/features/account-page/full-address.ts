// One rule for the account page and the calendar's event locations: see src/domain/text/full-address.ts.
export { fullAddress } from '../../../../src/domain/text/full-address.ts';
