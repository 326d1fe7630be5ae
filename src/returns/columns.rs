//! The columns of each return (SPEC §3): one canonical English name each, with its
//! Chinese aliases, in one table per kind.

/// One column of a return.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

const fn col(name: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column { name, aliases, required }
}

/// `schools` roster, SPEC §3.1. Indices are the `S_*` constants.
pub const SCHOOLS: &[Column] = &[
    col("code", &["学校代码", "学校标识码"], true),
    col("name", &["学校名称"], true),
    col("type", &["学校类型", "办学类型"], true),
    col("township", &["所属乡镇", "所属街道", "乡镇街道"], true),
    col("parent_school", &["家长学校", "是否建立家长学校"], true),
    col("parent_school_since", &["家长学校成立日期"], false),
    col("principal_heads", &["校长兼任家长学校校长", "校长是否兼任"], false),
    col("term", &["学期"], false),
];
pub const S_CODE: usize = 0;
pub const S_NAME: usize = 1;
pub const S_TYPE: usize = 2;
pub const S_TOWNSHIP: usize = 3;
pub const S_PARENT_SCHOOL: usize = 4;
pub const S_SINCE: usize = 5;
pub const S_PRINCIPAL: usize = 6;
pub const S_TERM: usize = 7;

/// `communities` roster, SPEC §3.2. Indices are the `C_*` constants.
pub const COMMUNITIES: &[Column] = &[
    col("code", &["社区代码", "村居代码", "统计用区划代码"], true),
    col("name", &["社区名称", "村居名称", "名称"], true),
    col("township", &["所属乡镇街道", "乡镇街道", "所属乡镇", "所属街道"], true),
    col("township_code", &["乡镇街道代码"], false),
    col("area", &["城乡类型", "城乡分类", "城乡分类代码"], false),
    col("parent_school", &["家长学校", "是否建立家长学校"], true),
    col("parent_school_since", &["家长学校成立日期"], false),
    col("term", &["学期"], false),
];
pub const C_CODE: usize = 0;
pub const C_NAME: usize = 1;
pub const C_TOWNSHIP: usize = 2;
pub const C_TOWNSHIP_CODE: usize = 3;
pub const C_AREA: usize = 4;
pub const C_PARENT_SCHOOL: usize = 5;
pub const C_SINCE: usize = 6;
pub const C_TERM: usize = 7;

/// `activities` return, SPEC §3.3. Indices are the `A_*` constants.
pub const ACTIVITIES: &[Column] = &[
    col("id", &["活动编号"], false),
    col("host", &["主办单位代码", "家长学校代码", "单位代码"], true),
    col("date", &["活动日期", "日期"], true),
    col("kind", &["活动类型", "类型"], true),
    col("title", &["活动名称", "主题"], false),
    col("participants", &["参与人数", "参加人数"], false),
    col("mode", &["形式"], false),
];
pub const A_ID: usize = 0;
pub const A_HOST: usize = 1;
pub const A_DATE: usize = 2;
pub const A_KIND: usize = 3;
pub const A_TITLE: usize = 4;
pub const A_PARTICIPANTS: usize = 5;
pub const A_MODE: usize = 6;

impl Column {
    /// Whether a header cell (already trimmed) names this column.
    pub fn matches(&self, header: &str) -> bool {
        header.eq_ignore_ascii_case(self.name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(header))
    }

    /// `code, 学校代码, 学校标识码`.
    pub fn spellings(&self) -> String {
        std::iter::once(self.name).chain(self.aliases.iter().copied()).collect::<Vec<_>>().join(", ")
    }
}
