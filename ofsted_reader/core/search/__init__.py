"""Search: the query (query), the words as search sees them (text), ranking (ranking), the engine over an index of
paragraphs (engine), what it finds (hits) and every hit written out (export). Empty on purpose: `ofsted-reader search`
imports only the modules it needs."""
