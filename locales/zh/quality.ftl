## ------------------------------------------------------------- 数据质量（src/quality/、src/commands/quality.rs）

cmd-quality = 数据质量：逐行检查一个学期的活动记录（重复、人数异常、尾数堆积、集中填报、照搬上学期等），并复核发现的问题
arg-quality-term = 检查的学期，如 2020-2021-1［默认：今天所在的学期］
arg-quality-check = 有未复核的高级别问题时以退出码 3 结束
cmd-quality-review = 将一条发现标记为已复核（记下操作人和时间），或用 --undo 撤销复核
arg-quality-review-id = 发现的编号，即 gongyu quality 列出的编号（如 Q1a2b3c4d5e）
arg-quality-review-term = 该发现所属的学期［默认：今天所在的学期］
arg-quality-review-note = 复核说明（除非加 --undo，否则必填）
arg-quality-review-undo = 撤销该发现的复核，使其恢复为未复核

quality-title = 数据质量
quality-page-title = { $plan }：{ $term } 学期数据质量
quality-sheet = 数据质量
quality-none = 学期 { $term } 未发现数据质量问题
quality-summary = 学期 { $term } 共 { $total } 条发现：高 { $high } 条（未复核 { $unreviewed } 条），中 { $medium } 条，低 { $low } 条。
quality-inform = 发现仅供核查，不改变任何指标的统计。
quality-col-id = 编号
quality-col-severity = 级别
quality-col-code = 检查
quality-col-township = 乡镇
quality-col-unit = 单位
quality-col-evidence = 依据
quality-col-reason = 原因
quality-col-reviewed = 复核
quality-severity-high = 高
quality-severity-medium = 中
quality-severity-low = 低
quality-code-duplicate-across-hosts = 跨单位重复
quality-code-duplicate-across-batches = 跨批次重复
quality-code-participants-outlier = 人数异常
quality-code-digit-heaping = 人数尾数堆积
quality-code-burst = 同日集中
quality-code-deadline-bunching = 期末集中
quality-code-before-parent-school = 早于家长学校成立
quality-code-copied-term = 照搬上学期
quality-code-consistency-over-time = 与往学期不一致
quality-kind = { $kind ->
    [guidance] 指导
    [practice] 实践
    [parent-meeting] 家长会
    [home-visit] 家访
   *[other] { $name }
}
quality-evidence = { $file } 第 { $line } 行（批次 { $batch }）
quality-reviewed-by = 已复核：{ $by }，{ $at }。{ $note }
quality-reviewed-short = 已复核（{ $by }）
quality-not-reviewed = 未复核
quality-reason-duplicate-across-hosts = { $day } 的{ $kind }活动“{ $title }”也由 { $other } 报送（{ $file } 第 { $line } 行），共 { $hosts } 个单位报送
quality-reason-duplicate-across-batches = { $day } 的{ $kind }活动“{ $title }”也在批次 { $batch } 中报送（{ $file } 第 { $line } 行），共 { $rows } 行
quality-reason-participants-outlier = { $day } 的{ $kind }活动参加人数 { $participants }，远离同类单位同类活动的中位数 { $median }（修正 z 分数 { $score }）
quality-reason-digit-heaping = { $counted } 个 10 人及以上的参加人数中有 { $heaped } 个以 0 或 5 结尾（{ $share }%，随机约为 20%；z 值 { $z }）
quality-reason-burst = { $day } 一天报送了 { $count } 项活动
quality-reason-deadline-bunching = 本学期 { $total } 项活动中有 { $last_week } 项集中在最后一周（{ $from } 起）
quality-reason-before-parent-school = { $count } 项指导或实践活动早于家长学校成立日 { $since }（最早一项在 { $first }）
quality-reason-copied-term = 本学期 { $total } 项活动中有 { $matched } 项与上学期的活动相同（类别、标题、人数一致），日期统一相差 { $shift } 天
quality-reason-consistency-over-time = 本学期活动 { $count } 项，此前 { $terms } 个学期平均 { $mean } 项（相差 { $pct }%）
quality-check-failed = 有 { $count } 条高级别发现未复核：{ $ids }。复核：gongyu quality review 编号 --note 说明
quality-review-unknown = 学期 { $term } 没有编号为 { $id } 的发现（编号见 gongyu quality --term { $term }；其他学期请加 --term）。未做任何改动
quality-review-needs-note = 复核需要说明：--note 说明
quality-review-not-reviewed = 发现 { $id } 尚未复核，无需撤销
quality-review-of = 复核发现 { $id }
quality-reviewed = 已复核发现 { $id }（学期 { $term }）。复核不改变任何指标的统计
quality-review-undone = 已撤销发现 { $id } 的复核（学期 { $term }）
quality-thread-panicked = 数据质量检查意外中止（程序错误），请将此信息报告给维护人员
quality-temp-file = 无法使用临时文件夹中的临时文件（数据质量检查要在其中排序）
quality-too-large = 数据质量检查无法处理 { $what } { $value }（超出范围）
term-close-unreviewed = 注意：学期 { $term } 有 { $count } 条高级别数据质量发现尚未复核（学期照常关闭；复核：gongyu quality review 编号 --term { $term } --note 说明）：
term-close-unreviewed-item = { $id } { $code } { $unit }：{ $reason }
term-close-unreviewed-more = …另有 { $count } 条，见 gongyu quality --term { $term }

plan-quality-not-table = 计划文件的 [quality] 应为表，而不是{ $kind }
plan-quality-unknown-key = 计划文件的 [quality] 中：未知的键 `{ $key }`；可用的键：{ $known }
plan-quality-positive = 计划文件的 [quality] 中 `{ $key }` 应为大于 0 的数，而不是 { $value }
plan-quality-share = 计划文件的 [quality] 中 `{ $key }` 应为大于 0、不超过 1 的比例，而不是 { $value }
plan-quality-at-least = 计划文件的 [quality] 中 `{ $key }` 应为不小于 { $min } 的整数，而不是 { $value }
