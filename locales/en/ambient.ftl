## The environment's messages (src/ambient.rs). Keys and placeholders match locales/zh/ambient.ftl.

ambient-bad-lang = { $name }={ $value } is not a language gongyu speaks; use zh or en
ambient-bad-today = { $name }={ $value } is not a date in the form YYYY-MM-DD
