## 计划文件中的错误和学期（src/plan/、src/ops.rs）。中文。

## ------------------------------------------------------------- 读取计划文件

plan-cannot-read = 无法读取计划文件 { $file }：{ $reason }。请检查 --plan 或 GONGYU_PLAN 给出的文件名和所在文件夹。
# 文件读不出的原因：kind 为 not-found、permission-denied、is-a-directory 或 other；detail 是系统的原话。
plan-io-reason = { $kind ->
    [not-found] 文件不存在
    [permission-denied] 没有读取这个文件的权限
    [is-a-directory] 这是一个文件夹，不是文件
   *[other] 系统报告“{ $detail }”
}
plan-not-utf8 = { $file }:{ $line }: 计划文件应为 UTF-8 编码的文本，这一行不是。请用记事本等编辑器另存为 UTF-8。
plan-problems = 计划文件 { $file } 有 { $count } 处问题（`gongyu plan show` 可输出一份正确的计划作参考）：
    { $problems }
# 指标内的错误：id 是指标的 id，没有 id 时为 #N（第几个指标）。
plan-in-target = 指标 { $id }：{ $problem }
# TOML 读取程序给出的原文。
plan-toml = TOML 格式有误：{ $detail }
plan-missing-field = 缺少 `{ $key }`
plan-wrong-type = `{ $key }` 应为{ $what }，而不是{ $kind ->
    [string] 文字
    [integer] 整数
    [float] 小数
    [boolean] true/false
    [datetime] 日期时间
    [array] 列表
    [table] 表
   *[other] { $kind }
}
plan-a-string = 加引号的文字
plan-a-whole-number = 整数
plan-true-or-false = true 或 false
plan-a-table = 表，例如 {"{"} key = value {"}"}
plan-title-wrong-type = title.{ $key } 应为加引号的文字，而不是{ $kind ->
    [string] 文字
    [integer] 整数
    [float] 小数
    [boolean] true/false
    [datetime] 日期时间
    [array] 列表
    [table] 表
   *[other] { $kind }
}
plan-title-unknown-field = title：未知的项 `{ $key }`，应为 `zh` 或 `en`
plan-title-missing-zh = title：缺少 `zh`
plan-unknown-field = 未知的项 `{ $key }`，应为 { $expected } 之一

## ------------------------------------------------------------- 计划中各值的含义

plan-bad-id = 计划 id "{ $id }" 只能由小写字母、数字和 - 组成，例如 mentougou-2019-2021
plan-name-empty = 计划名称（name）为空
plan-bad-term = { $key } "{ $value }"：{ $error }
plan-terms-backwards = last_term { $last } 早于 first_term { $first }
plan-no-targets = 计划中没有指标；请至少添加一个 [[target]] 表
plan-duplicate-target = 有两个指标的 id 都是 "{ $id }"；id 不能重复
plan-bad-target-id = 指标 id "{ $id }" 只能由小写字母、数字和 - 组成
plan-unknown-units = 未知的单位种类 "{ $units }"；units 应为 { $expected } 之一
plan-belongs-in-require = `{ $key }` 应写在 `require` 中，不能写在 `where` 中
plan-where-key = where.{ $key }：{ $error }
plan-require-key = require.{ $key }：{ $error }
plan-and = 和
plan-one-threshold = 只能给出一种达标要求，不能同时给出 { $given }
plan-required-range = required = { $value } 超出 0–100（应为百分比）
plan-at-least-range = at_least = { $value } 应不小于 1
plan-informational-false = informational = false 不是达标要求；请写 required = P 或 at_least = N
plan-no-threshold = 缺少达标要求；请写 required = P（百分比）、at_least = N 或 informational = true
plan-unknown-period = 未知的周期 "{ $period }"；period 应为 term、school-year、year、plan 之一
plan-responsible = responsible（责任单位）：{ $error }
plan-title-empty = title.zh（指标中文名称）为空
# 列表中的内容，按 id。
plan-list-of = { $what ->
    [school-groups] 学校类别
    [school-types] 学校类型
    [activity-kinds] 活动类别
    [host-kinds] 举办单位种类
    [registry-categories] 登记备案类别
   *[bodies] 责任单位
}
plan-expected-list = 应为{ $what }列表，例如 ["…"]
plan-expected-strings = 应为{ $what }列表（各项为加引号的文字）
plan-not-one-of = "{ $value }" 不是 { $expected } 之一
plan-selects-schools-or-communities = `{ $key }` 只能筛选学校或社区，不能用于 { $units }
plan-selects-schools = `{ $key }` 只能筛选学校，不能用于 { $units }
plan-not-school-type = "{ $value }" 不是学校类型；应为 { $expected } 之一
plan-expected-either = 应为 "{ $a }" 或 "{ $b }"
plan-not-either = "{ $value }" 不是 "{ $a }" 或 "{ $b }"
plan-selects-bodies = `{ $key }` 只能筛选机构，不能用于 { $units }
plan-selects-parent-schools = `host` 只能在 parent-schools 中筛选，不能用于 { $units }
plan-unknown-fact = 未知的事实项或筛选条件；事实项有 { $facts }；筛选条件有 group、type、area、kind、level、host{ $in_require ->
    [yes] 、activities、any_activity、registry
   *[no] {""}
}
plan-no-facts = { $units } 不填报事实项，`{ $key }` 不适用
plan-fact-not-on = 事实项 { $key } 由 { $on } 名册填报，{ $units } 不填报
plan-expected-bool = 应写 { $key } = true 或 { $key } = false
plan-roster-no-value = { $units } 名册没有可计数的取值 `{ $key }`；可用的有 { $offered }
plan-roster-offers-none = 无（{ $units } 名册只按名册上的单位计数）
plan-expected-count = 应写 { $key } = 一个整数（至少的数量）
plan-roster-no-activities = { $units } 不举办活动；请按其名册所报取值计数
plan-not-activity-kind = "{ $value }" 不是活动类别；应为 { $kinds }
plan-townships-no-activities = 乡镇街道不举办活动；请用 registry
plan-expected-kinds-table = 应为各活动类别及次数的表，例如 {"{"} guidance = 1, practice = 1 {"}"}
plan-name-a-kind = 请至少写一种活动类别，例如 {"{"} guidance = 1 {"}"}
plan-students-home-visit-not = 重点学生按点名到该生的入户家访计数；请用 home-visit，不能用 { $kind }
plan-whole-number = { $key } = … 应为不小于 1 的整数
plan-expected-any-activity = 应为 {"{"} kinds = ["guidance", "practice"], min = 1 {"}"} 这样的表
plan-any-activity-key = 未知的项 `{ $key }`；any_activity 只有 kinds 和 min 两项
plan-kinds-missing = 缺少 kinds
plan-kinds-empty = kinds 为空
plan-students-home-visit = 重点学生按点名到该生的入户家访计数；请用 home-visit
plan-min = min 应为不小于 1 的整数
plan-registry-townships = registry 只适用于乡镇街道（townships），不能用于 { $units }
plan-name-a-category = 请至少写一个登记备案类别
plan-responsible-table = 按举办单位种类分列责任单位的表只适用于 parent-schools 指标；请写成列表，例如 ["区教委"]
plan-unknown-host-kind = 未知的举办单位种类 `{ $kind }`；应为 schools、communities、bodies

## ------------------------------------------------------------- 学期和历学期进展

term-half = 学期只能是 1 或 2，不能是 { $half }
term-year-range = 学年 { $year } 超出范围
term-spellings = 请写成 2020-2021-1、2020-2021-2、2020-2021学年第一学期 或 2020-2021学年第二学期
term-not-a-term = "{ $value }" 不是学期；{ $spellings }
term-not-consecutive = "{ $value }" 不是学期：学年的两个年份必须相连（例如 { $first }-{ $next }）
trend-backwards = 进展的起止学期颠倒了：从 { $from } 到 { $to }；请检查 --from 和 --to
trend-too-long = 从 { $from } 到 { $to } 共 { $count } 个学期；请不要超过 200 个
