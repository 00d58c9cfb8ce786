-- Up Migration

-- The four mirror tables as one relation, so code that works on "a record of some type" passes the
-- type as a query parameter instead of building a table name into the SQL. Each branch carries a
-- constant object_type, so the planner skips the branches a query's type excludes.
CREATE VIEW crm_records AS
  SELECT 'contacts'::text AS object_type, portal_id, id, properties, created_at, updated_at, archived FROM contacts
  UNION ALL
  SELECT 'companies', portal_id, id, properties, created_at, updated_at, archived FROM companies
  UNION ALL
  SELECT 'deals', portal_id, id, properties, created_at, updated_at, archived FROM deals
  UNION ALL
  SELECT 'tickets', portal_id, id, properties, created_at, updated_at, archived FROM tickets;
