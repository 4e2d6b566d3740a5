// Set in every test file of the `e2e-postgres` project: createTestApp boots on PostgreSQL.
process.env.TEST_DATABASE = 'postgres';
