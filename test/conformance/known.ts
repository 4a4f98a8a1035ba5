/**
 * Cases where netcred's verdict differs from the spec's (the case keeps the spec's verdict, and
 * case.json says so in netcred_differs). The tests pin this list: when netcred is fixed, a test
 * fails and the entry goes. Reported in docs/conformance.md.
 */
export const NETCRED_DISCREPANCIES: readonly string[] = [];
