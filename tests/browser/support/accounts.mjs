// The test accounts: one per role, created by run.mjs with kpo-admin before
// the server starts, and used by loginAs() in the tests. One list, so the
// runner and the tests cannot drift apart.

// Every account shares one password: the tests prove who sees what, not
// password strength (that is unit-tested in backend/src/access/).
export const PASSWORD = 'browser-test-wachtwoord-7';

// key: what a test asks for (loginAs(page, 'politie')).
// roleLabel: the Dutch role name the header shows (portal contract).
export const ACCOUNTS = {
  gemeenten: {
    email: 'lid-gemeenten@test.kpo.nl',
    name: 'Gerda Gemeente',
    role: 'member',
    roleLabel: 'lid',
    groups: ['gemeenten'],
    werkplaatsen: [],
  },
  politie: {
    email: 'lid-politie@test.kpo.nl',
    name: 'Piet Politie',
    role: 'member',
    roleLabel: 'lid',
    groups: ['politie'],
    werkplaatsen: [],
  },
  editor: {
    email: 'redacteur@test.kpo.nl',
    name: 'Rik Redacteur',
    role: 'editor',
    roleLabel: 'redacteur',
    groups: ['gemeenten'],
    werkplaatsen: ['bibob'],
  },
  redactie: {
    email: 'redactie@test.kpo.nl',
    name: 'Ruth Redactie',
    role: 'redactie',
    roleLabel: 'redactie',
    groups: [],
    werkplaatsen: [],
  },
  academie: {
    email: 'academie@test.kpo.nl',
    name: 'Anna Academie',
    role: 'academie',
    roleLabel: 'academie',
    groups: [],
    werkplaatsen: [],
  },
  // Issue 13 (auth): enrols TOTP in account.test.mjs, so no other test
  // shares it.
  tweestaps: {
    email: 'lid-tweestaps@test.kpo.nl',
    name: 'Tara Tweestaps',
    role: 'member',
    roleLabel: 'lid',
    groups: ['gemeenten'],
    werkplaatsen: [],
  },
  // Changes its password in account.test.mjs, so no other test shares it.
  wachtwoord: {
    email: 'lid-wachtwoord@test.kpo.nl',
    name: 'Wim Wachtwoord',
    role: 'member',
    roleLabel: 'lid',
    groups: ['gemeenten'],
    werkplaatsen: [],
  },
  admin: {
    email: 'beheerder@test.kpo.nl',
    name: 'Bram Beheerder',
    role: 'admin',
    roleLabel: 'beheerder',
    groups: [],
    werkplaatsen: [],
  },
};
