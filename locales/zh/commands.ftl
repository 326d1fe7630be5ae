term-locks = 会改变其报告的导入和撤销都将被拒绝：日期在 { $last } 及以前的活动和登记、其报告所用的名册（{ $term } 及以前学期的）、{ $year } 学年的重点关注学生名册
term-closed = 已关闭学期 { $term }（{ $term_words }）。此后{ $locks }。
term-reopened = 已重新开放学期 { $term }（原因：{ $reason }）
term-not-ended = 学期 { $term } 尚未结束（{ $last_day } 结束，今天是 { $today }）
term-outside-plan = 学期 { $term } 不在计划的学期范围内（{ $first } 至 { $last }）
term-close-refused = 未关闭：{ $why }。关闭后，{ $locks }。若确要关闭，请加 --force：gongyu term close { $term } --force
