## 环境变量的消息（src/ambient.rs）。键和占位符与 locales/en/ambient.ftl 一致。

ambient-bad-lang = { $name }={ $value }：gongyu 不支持这种语言；请写 zh（中文）或 en（英文）
ambient-bad-today = { $name }={ $value }：不是日期；请按 年-月-日 写，如 2020-11-15
