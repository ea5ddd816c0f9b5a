-- Nothing to change on PostgreSQL: H2's V10 has its identity sequences take ids ahead, to spare H2 a commit every 32
-- ids; PostgreSQL's sequences cost no such commit. The version is kept in step with H2's (integer versions: see
-- RunListing, which reads the highest one).
SELECT 1;
