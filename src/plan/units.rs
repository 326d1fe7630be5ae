//! The kinds of units and activities the plan speaks of, each with the one table of
//! spellings (Chinese and English) that map to it.

/// Whether a cell is a code (digits only), such as a township code, rather than a name.
pub(crate) fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A school's type (学校类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchoolType {
    Primary,
    Junior,
    Senior,
    CompleteSecondary,
    NineYear,
    TwelveYear,
    Special,
    Kindergarten,
    Vocational,
}

/// The group a school type counts in for the targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchoolGroup {
    /// 中小学: primary and secondary schools.
    PrimarySecondary,
    /// 幼儿园.
    Kindergarten,
    /// 中职: secondary vocational schools.
    Vocational,
}

impl SchoolGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolGroup::PrimarySecondary => "中小学",
            SchoolGroup::Kindergarten => "幼儿园",
            SchoolGroup::Vocational => "中职",
        }
    }

    pub fn from_str_exact(s: &str) -> Option<SchoolGroup> {
        [SchoolGroup::PrimarySecondary, SchoolGroup::Kindergarten, SchoolGroup::Vocational].into_iter().find(|g| g.as_str() == s)
    }
}

const SCHOOL_TYPES: &[(SchoolType, &str, &[&str])] = &[
    (SchoolType::Primary, "小学", &["primary"]),
    (SchoolType::Junior, "初中", &["junior"]),
    (SchoolType::Senior, "高中", &["senior"]),
    (SchoolType::CompleteSecondary, "完全中学", &["complete-secondary"]),
    (SchoolType::NineYear, "九年一贯制学校", &["nine-year"]),
    (SchoolType::TwelveYear, "十二年一贯制学校", &["twelve-year"]),
    (SchoolType::Special, "特殊教育学校", &["special"]),
    (SchoolType::Kindergarten, "幼儿园", &["kindergarten"]),
    (SchoolType::Vocational, "中等职业学校", &["中职", "vocational"]),
];

impl SchoolType {
    /// Parses any accepted spelling (case-insensitive for English).
    pub fn parse(s: &str) -> Option<SchoolType> {
        SCHOOL_TYPES
            .iter()
            .find(|(_, zh, aliases)| *zh == s || aliases.iter().any(|a| a.eq_ignore_ascii_case(s)))
            .map(|(t, _, _)| *t)
    }

    /// The canonical Chinese name, as stored in the ledger.
    pub fn as_str(self) -> &'static str {
        SCHOOL_TYPES.iter().find(|(t, _, _)| *t == self).map(|(_, zh, _)| *zh).unwrap_or("")
    }

    pub fn group(self) -> SchoolGroup {
        match self {
            SchoolType::Kindergarten => SchoolGroup::Kindergarten,
            SchoolType::Vocational => SchoolGroup::Vocational,
            _ => SchoolGroup::PrimarySecondary,
        }
    }

    /// The accepted spellings, for error messages: in Chinese the Chinese names (the
    /// English ones are accepted too), in English every spelling.
    pub fn spellings() -> String {
        let zh: Vec<&str> = SCHOOL_TYPES.iter().map(|(_, zh, _)| *zh).collect();
        if crate::messages::lang() == crate::lang::Lang::Zh {
            return zh.join("、");
        }
        let en: Vec<&str> = SCHOOL_TYPES.iter().flat_map(|(_, _, a)| a.iter().copied()).collect();
        format!("{}, {}", zh.join(", "), en.join(", "))
    }
}

/// Urban (城区) or rural (农村) community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Urban,
    Rural,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Urban => "urban",
            Area::Rural => "rural",
        }
    }

    /// Parses urban/rural, 城区/农村, 城镇/乡村, or the statistics bureau's
    /// three-digit urban–rural code (1xx urban, 2xx rural).
    pub fn parse(s: &str) -> Option<Area> {
        match s.to_lowercase().as_str() {
            "urban" | "城区" | "城镇" => return Some(Area::Urban),
            "rural" | "农村" | "乡村" => return Some(Area::Rural),
            _ => {}
        }
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.as_bytes()[0] {
                b'1' => Some(Area::Urban),
                b'2' => Some(Area::Rural),
                _ => None,
            };
        }
        None
    }

    /// Infers the area from a community's name: 社区 / 社区居委会 / 居委会 are urban,
    /// 村 / 村委会 rural.
    pub fn from_name(name: &str) -> Option<Area> {
        if name.ends_with("社区") || name.ends_with("居委会") {
            Some(Area::Urban)
        } else if name.ends_with('村') || name.ends_with("村委会") {
            Some(Area::Rural)
        } else {
            None
        }
    }

    pub const SPELLINGS: &'static str = "urban, rural, 城区, 农村, 城镇, 乡村, or an urban–rural code such as 111 or 220";
}

/// The kind of a parent-school activity. Its variants are in the order of
/// [`ACTIVITY_KINDS`]: a kind's position there is its place in every count per kind (the
/// ledger's tallies keep one count per position), so kinds are appended, never reordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActivityKind {
    Guidance,
    Practice,
    ParentMeeting,
    HomeVisit,
}

/// One activity kind: everything gongyu knows of it but the longer words a report's
/// catalogue may give it (`report-activity-kind`, `quality-kind`), which fall back to these.
struct KindEntry {
    kind: ActivityKind,
    /// As stored and as plans name it.
    id: &'static str,
    /// Its Chinese spellings, the first being its short Chinese name.
    zh: &'static [&'static str],
    /// The spellings the Excel template offers in its drop-down and its guide, in order.
    offered: &'static [&'static str],
    /// The class the template's guide names the kind by in Chinese (指导类); in English,
    /// its id. `None`: the spellings say it.
    class: Option<&'static str>,
}

/// Every activity kind. Append a new kind at the end (with its variant, last, in
/// [`ActivityKind`]); never reorder or remove one.
const ACTIVITY_KINDS: &[KindEntry] = &[
    KindEntry {
        kind: ActivityKind::Guidance,
        id: "guidance",
        zh: &["指导", "家庭教育指导", "讲座", "培训", "咨询"],
        offered: &["讲座", "培训", "咨询", "家庭教育指导"],
        class: Some("指导类"),
    },
    KindEntry {
        kind: ActivityKind::Practice,
        id: "practice",
        zh: &["实践", "家庭教育实践", "亲子活动", "志愿服务", "研学"],
        offered: &["亲子活动", "志愿服务", "研学", "家庭教育实践"],
        class: Some("实践类"),
    },
    KindEntry {
        kind: ActivityKind::ParentMeeting, id: "parent-meeting", zh: &["家长会"], offered: &["家长会"], class: None
    },
    KindEntry {
        kind: ActivityKind::HomeVisit, id: "home-visit", zh: &["家访", "入户家访"], offered: &["家访"], class: None
    },
];

// A kind's position in the table is its variant's discriminant.
const _: () = {
    let mut i = 0;
    while i < ACTIVITY_KINDS.len() {
        assert!(ACTIVITY_KINDS[i].kind as usize == i, "ACTIVITY_KINDS must list the kinds in the enum's order");
        i += 1;
    }
};

impl ActivityKind {
    /// How many kinds there are.
    pub const COUNT: usize = ACTIVITY_KINDS.len();

    /// Every kind, in the table's order.
    pub fn all() -> impl Iterator<Item = ActivityKind> {
        ACTIVITY_KINDS.iter().map(|e| e.kind)
    }

    /// The kind's position in [`ACTIVITY_KINDS`]: its place in counts per kind.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind at position `i`, if there is one.
    pub fn at(i: usize) -> Option<ActivityKind> {
        ACTIVITY_KINDS.get(i).map(|e| e.kind)
    }

    /// The kind's short Chinese name (its first Chinese spelling): 指导, 实践, 家长会, 家访.
    pub fn zh(self) -> &'static str {
        ACTIVITY_KINDS[self.index()].zh[0]
    }

    /// The kind's name in `lang`: its id in English, its short Chinese name in Chinese.
    pub fn name_in(self, lang: crate::lang::Lang) -> &'static str {
        match lang {
            crate::lang::Lang::Zh => self.zh(),
            _ => self.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<ActivityKind> {
        ACTIVITY_KINDS.iter().find(|e| e.id.eq_ignore_ascii_case(s) || e.zh.contains(&s)).map(|e| e.kind)
    }

    pub fn as_str(self) -> &'static str {
        ACTIVITY_KINDS[self.index()].id
    }

    pub fn from_str_exact(s: &str) -> Option<ActivityKind> {
        ACTIVITY_KINDS.iter().find(|e| e.id == s).map(|e| e.kind)
    }

    /// The accepted spellings, for error messages: in Chinese the Chinese ones (the ids
    /// are accepted too), in English each id with its Chinese spellings.
    pub fn spellings() -> String {
        if crate::messages::lang() == crate::lang::Lang::Zh {
            return ACTIVITY_KINDS.iter().flat_map(|e| e.zh.iter().copied()).collect::<Vec<_>>().join("、");
        }
        ACTIVITY_KINDS.iter().map(|e| format!("{} ({})", e.id, e.zh.join(", "))).collect::<Vec<_>>().join("; ")
    }

    /// Every kind's id, as a plan's error lists them: `guidance, practice, … or home-visit`.
    pub fn ids_listed(lang: crate::lang::Lang) -> String {
        let ids: Vec<&str> = ACTIVITY_KINDS.iter().map(|e| e.id).collect();
        let (sep, or) = match lang {
            crate::lang::Lang::Zh => ("、", " 或 "),
            _ => (", ", " or "),
        };
        match ids.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{}{or}{last}", rest.join(sep)),
            None => String::new(),
        }
    }

    /// The spellings the Excel template's drop-down offers, every kind's in the table's order.
    pub fn offered() -> &'static [&'static str] {
        static OFFERED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
        OFFERED.get_or_init(|| ACTIVITY_KINDS.iter().flat_map(|e| e.offered.iter().copied()).collect())
    }

    /// The template's guide to the kind column: each kind's offered spellings and its class,
    /// `讲座、培训、咨询、家庭教育指导（指导类）；…；家访`.
    pub fn guide(lang: crate::lang::Lang) -> String {
        let zh = lang == crate::lang::Lang::Zh;
        let kinds = ACTIVITY_KINDS.iter().map(|e| {
            let spellings = e.offered.join(if zh { "、" } else { ", " });
            match (e.class, zh) {
                (Some(class), true) => format!("{spellings}（{class}）"),
                (Some(_), false) => format!("{spellings} ({})", e.id),
                (None, _) => spellings,
            }
        });
        kinds.collect::<Vec<_>>().join(if zh { "；" } else { "; " })
    }
}

/// Online (线上) or offline (线下).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Online,
    Offline,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        if s == "线上" || s.eq_ignore_ascii_case("online") {
            Some(Mode::Online)
        } else if s == "线下" || s.eq_ignore_ascii_case("offline") {
            Some(Mode::Offline)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Online => "online",
            Mode::Offline => "offline",
        }
    }

    pub const SPELLINGS: &'static str = "线上, 线下, online, offline";
}

/// The kind of a body on a `bodies` roster (SPEC §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// 家长学校: a parent school that is not a school's or a community's.
    ParentSchool,
    /// 家校社共育委员会.
    CoeduCommittee,
}

impl BodyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::ParentSchool => "parent-school",
            BodyKind::CoeduCommittee => "coedu-committee",
        }
    }

    pub fn parse(s: &str) -> Option<BodyKind> {
        match s.to_lowercase().as_str() {
            "parent-school" | "家长学校" => Some(BodyKind::ParentSchool),
            "coedu-committee" | "家校社共育委员会" | "共育委员会" => Some(BodyKind::CoeduCommittee),
            _ => None,
        }
    }

    pub const SPELLINGS: &'static str = "parent-school (家长学校), coedu-committee (家校社共育委员会)";
}

/// The level of a body (SPEC §8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyLevel {
    /// 区级.
    District,
    /// 机关, 社会组织, 企事业单位.
    Organisation,
}

impl BodyLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            BodyLevel::District => "district",
            BodyLevel::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<BodyLevel> {
        match s.to_lowercase().as_str() {
            "district" | "区级" => Some(BodyLevel::District),
            "organisation" | "organization" | "机关" | "社会组织" | "企事业单位" => Some(BodyLevel::Organisation),
            _ => None,
        }
    }

    pub const SPELLINGS: &'static str = "district (区级), organisation (机关, 社会组织, 企事业单位)";
}

/// Why a key student (重点关注学生) is on the roster (SPEC §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StudentCategory {
    LeftBehind,
    Disabled,
    Difficult,
    Academic,
    Psychological,
    Behavioural,
    Other,
}

const STUDENT_CATEGORIES: &[(StudentCategory, &str)] = &[
    (StudentCategory::LeftBehind, "留守"),
    (StudentCategory::Disabled, "残疾"),
    (StudentCategory::Difficult, "困境"),
    (StudentCategory::Academic, "学业"),
    (StudentCategory::Psychological, "心理"),
    (StudentCategory::Behavioural, "行为"),
    (StudentCategory::Other, "其他"),
];

impl StudentCategory {
    pub fn as_str(self) -> &'static str {
        STUDENT_CATEGORIES.iter().find(|(c, _)| *c == self).map_or("", |(_, s)| s)
    }

    pub fn parse(s: &str) -> Option<StudentCategory> {
        STUDENT_CATEGORIES.iter().find(|(_, zh)| *zh == s).map(|(c, _)| *c)
    }

    pub const SPELLINGS: &'static str = "留守, 残疾, 困境, 学业, 心理, 行为, 其他";
}

/// A category of the children's registry (留守儿童、残疾儿童、困境儿童 登记备案, SPEC §8.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegistryCategory {
    LeftBehind,
    Disabled,
    Difficult,
}

impl RegistryCategory {
    pub const ALL: [RegistryCategory; 3] =
        [RegistryCategory::LeftBehind, RegistryCategory::Disabled, RegistryCategory::Difficult];

    /// The canonical Chinese name, as plans and the ledger write it.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistryCategory::LeftBehind => "留守儿童",
            RegistryCategory::Disabled => "残疾儿童",
            RegistryCategory::Difficult => "困境儿童",
        }
    }

    pub fn parse(s: &str) -> Option<RegistryCategory> {
        RegistryCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub const SPELLINGS: &'static str = "留守儿童, 残疾儿童, 困境儿童";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    /// The lists of kinds made from the table are the texts written out by hand before.
    #[test]
    fn the_lists_of_kinds_made_from_the_table() {
        assert_eq!(
            ActivityKind::offered(),
            ["讲座", "培训", "咨询", "家庭教育指导", "亲子活动", "志愿服务", "研学", "家庭教育实践", "家长会", "家访"]
        );
        assert_eq!(
            ActivityKind::guide(Lang::Zh),
            "讲座、培训、咨询、家庭教育指导（指导类）；亲子活动、志愿服务、研学、家庭教育实践（实践类）；家长会；家访"
        );
        assert_eq!(
            ActivityKind::guide(Lang::En),
            "讲座, 培训, 咨询, 家庭教育指导 (guidance); 亲子活动, 志愿服务, 研学, 家庭教育实践 (practice); 家长会; 家访"
        );
        assert_eq!(ActivityKind::ids_listed(Lang::En), "guidance, practice, parent-meeting or home-visit");
        assert_eq!(ActivityKind::ids_listed(Lang::Zh), "guidance、practice、parent-meeting 或 home-visit");
    }

    /// A kind the catalogues do not word (one appended to the table) is named by its own id
    /// and Chinese name, never by another kind's words; the kinds of today keep theirs.
    #[test]
    fn a_kind_the_catalogues_do_not_word_is_named_by_its_own_name() {
        let words = |lang, key: &str, kind: &str, name: &str| {
            crate::messages::text_in(
                lang,
                key,
                &[("kind", crate::messages::Arg::value(kind)), ("name", crate::messages::Arg::value(name))],
            )
        };
        let new = ("online-lesson", "网络课堂");
        assert_eq!(words(Lang::En, "report-activity-kind", new.0, new.1), "online-lesson (网络课堂)");
        assert_eq!(words(Lang::Zh, "report-activity-kind", new.0, new.1), "网络课堂");
        assert_eq!(words(Lang::Zh, "report-activity-short", new.0, new.1), "网络课堂");
        assert_eq!(words(Lang::En, "quality-kind", new.0, new.1), "online-lesson (网络课堂)");
        assert_eq!(words(Lang::Zh, "quality-kind", new.0, new.1), "网络课堂");
        for (k, en, zh, quality_en, quality_zh) in [
            (ActivityKind::Guidance, "guidance activity", "家庭教育指导活动", "guidance", "指导"),
            (ActivityKind::Practice, "practice activity", "家庭教育实践活动", "practice", "实践"),
            (ActivityKind::ParentMeeting, "parent meeting (家长会)", "家长会", "parent meeting", "家长会"),
            (ActivityKind::HomeVisit, "home visit (家访)", "入户家访", "home visit", "家访"),
        ] {
            assert_eq!(words(Lang::En, "report-activity-kind", k.as_str(), k.zh()), en);
            assert_eq!(words(Lang::Zh, "report-activity-kind", k.as_str(), k.zh()), zh);
            assert_eq!(words(Lang::En, "quality-kind", k.as_str(), k.zh()), quality_en);
            assert_eq!(words(Lang::Zh, "quality-kind", k.as_str(), k.zh()), quality_zh);
        }
        assert_eq!(words(Lang::Zh, "report-activity-short", "practice", "实践"), "实践");
        assert_eq!(words(Lang::Zh, "report-activity-short", "guidance", "指导"), "指导");
    }

    #[test]
    fn school_types_and_groups() {
        assert_eq!(SchoolType::parse("小学").unwrap().group(), SchoolGroup::PrimarySecondary);
        assert_eq!(SchoolType::parse("十二年一贯制学校").unwrap().group(), SchoolGroup::PrimarySecondary);
        assert_eq!(SchoolType::parse("特殊教育学校").unwrap().group(), SchoolGroup::PrimarySecondary);
        assert_eq!(SchoolType::parse("幼儿园").unwrap().group(), SchoolGroup::Kindergarten);
        assert_eq!(SchoolType::parse("中职").unwrap(), SchoolType::Vocational);
        assert_eq!(SchoolType::parse("Vocational").unwrap().group(), SchoolGroup::Vocational);
        assert_eq!(SchoolType::parse("complete-secondary"), Some(SchoolType::CompleteSecondary));
        assert_eq!(SchoolType::parse("中学校"), None);
        assert!(SchoolType::spellings().contains("九年一贯制学校"));
    }

    #[test]
    fn areas() {
        assert_eq!(Area::parse("城区"), Some(Area::Urban));
        assert_eq!(Area::parse("乡村"), Some(Area::Rural));
        assert_eq!(Area::parse("Urban"), Some(Area::Urban));
        assert_eq!(Area::parse("111"), Some(Area::Urban));
        assert_eq!(Area::parse("220"), Some(Area::Rural));
        assert_eq!(Area::parse("320"), None);
        assert_eq!(Area::parse("1"), None);
        assert_eq!(Area::from_name("德露苑社区居委会"), Some(Area::Urban));
        assert_eq!(Area::from_name("向阳社区"), Some(Area::Urban));
        assert_eq!(Area::from_name("王平村委会"), Some(Area::Rural));
        assert_eq!(Area::from_name("东山村"), Some(Area::Rural));
        assert_eq!(Area::from_name("某某管委会"), None);
    }

    #[test]
    fn activity_kinds() {
        for (s, k) in [
            ("讲座", ActivityKind::Guidance),
            ("guidance", ActivityKind::Guidance),
            ("咨询", ActivityKind::Guidance),
            ("研学", ActivityKind::Practice),
            ("PRACTICE", ActivityKind::Practice),
            ("家长会", ActivityKind::ParentMeeting),
            ("parent-meeting", ActivityKind::ParentMeeting),
            ("入户家访", ActivityKind::HomeVisit),
        ] {
            assert_eq!(ActivityKind::parse(s), Some(k), "{s}");
        }
        assert_eq!(ActivityKind::parse("联欢会"), None);
        assert_eq!(Mode::parse("线上"), Some(Mode::Online));
        assert_eq!(Mode::parse("Offline"), Some(Mode::Offline));
    }
}
