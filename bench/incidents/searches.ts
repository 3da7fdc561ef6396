/**
 * What people type into the search box, as explain.ts explains it and http.ts loads it: words
 * from very common to rare, two-word queries, a prefix being typed, and identifiers copied from
 * an e-mail (a host name, here picked from the data; an incident key is measured on its own).
 */
export const SEARCH_WORDS = ['error', 'kerberos', 'vpn timeout', 'lapt', 'printer floor', 'password reset', 'phishing'];

/** Share of searches that are for a host name such as `srv-0042` rather than words. */
export const HOST_SEARCH_SHARE = 0.15;
