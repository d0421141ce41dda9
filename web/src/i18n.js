// The explorer's own words in English and Chinese; the model's texts come from its en/zh fields.
const STRINGS = {
  en: {
    language: "Language",
    graph: "Organisation", raci: "RACI matrix", trace: "Trace", standards: "Standards",
    search: "Search a unit, duty or promise", searchGo: "Find", notFound: "Nothing matches",
    unit: "Unit", duty: "Duty", promise: "Promise", role: "Role", standard: "Standard", rule: "Rule",
    allUnits: "All units", allPromises: "All promises", allRoles: "All roles",
    fit: "Fit", overview: "Large model: showing units only. Pick a unit or a promise, or search, to see duties.",
    shown: "{n} nodes shown",
    accountable: "accountable", responsible: "responsible", consulted: "consulted", informed: "informed",
    management: "management",
    owner: "Owner", source: "Source", section: "Section", suppliers: "Supplied by",
    customers: "Supports", upstream: "Upstream duties", rules: "Rules", promises: "Promises reached",
    owns: "Owns", rolesElsewhere: "Roles on other duties", teams: "Teams", members: "Members",
    duties: "Duties", location: "Defined at", close: "Close",
    exportCsv: "Export CSV", xlsxNote: "XLSX: `servresp raci export OUT --format xlsx`.",
    tooBig: "{n} cells: pick a unit or a promise to narrow the matrix.", rows: "{r} duties × {c} units",
    facts: "Facts", pick: "Bundled example", pickNone: "— pick an example —", upload: "Upload a facts file",
    paste: "…or paste JSONL / JSON here", period: "Period (YYYY-MM, optional)", run: "Trace",
    staticNoUpload: "This is a static copy of the explorer: there is no server to trace uploaded facts. Pick a bundled example, or run `servresp serve` to trace your own.",
    status: "Status", ok: "ok", at_risk: "at risk", breached: "breached", unmeasured: "unmeasured",
    owners: "Owners", share: "Share", roles: "Roles", evidence: "Evidence", paths: "Paths", why: "Why",
    candidates: "Candidates (no evidence yet)", noOwners: "No owner carries a share.",
    breaches: "Breaches", aspirations: "Aspirations (reported, not breaches)", firedRules: "Rules fired",
    target: "target", gap: "gap", readFacts: "{n} facts read, {r} rejected, {u} unknown",
    traceFirst: "Trace a facts file first: the standards view shows its readings.",
    noReadings: "No reading in these facts.", mass: "mass", kind: "kind", tracing: "Tracing…",
    window: "window", breachedPoint: "breached", noStandards: "No standards.",
    requestFailed: "The server refused the request:",
    aspiration: "aspiration", breach: "breach",
  },
  zh: {
    language: "语言",
    graph: "组织", raci: "RACI 矩阵", trace: "追溯", standards: "服务标准",
    search: "搜索部门、职责或承诺", searchGo: "查找", notFound: "没有匹配项",
    unit: "部门", duty: "职责", promise: "承诺", role: "角色", standard: "标准", rule: "规则",
    allUnits: "全部部门", allPromises: "全部承诺", allRoles: "全部角色",
    fit: "适应窗口", overview: "模型较大:只显示部门。选择部门或承诺,或搜索,以查看职责。",
    shown: "显示 {n} 个节点",
    accountable: "负责(A)", responsible: "执行(R)", consulted: "咨询(C)", informed: "知会(I)",
    management: "管理",
    owner: "所属部门", source: "出处", section: "章节", suppliers: "上游支持",
    customers: "支持", upstream: "全部上游职责", rules: "规则", promises: "影响的承诺",
    owns: "拥有的职责", rolesElsewhere: "在其他职责中的角色", teams: "所属团队", members: "成员",
    duties: "职责", location: "定义位置", close: "关闭",
    exportCsv: "导出 CSV", xlsxNote: "XLSX:请运行 `servresp raci export OUT --format xlsx`。",
    tooBig: "{n} 个单元格:请选择部门或承诺以缩小矩阵。", rows: "{r} 项职责 × {c} 个部门",
    facts: "事实数据", pick: "内置示例", pickNone: "— 选择示例 —", upload: "上传事实文件",
    paste: "……或在此粘贴 JSONL / JSON", period: "期间(YYYY-MM,可选)", run: "追溯",
    staticNoUpload: "这是探索器的静态副本:没有服务器可以追溯上传的事实。请选择内置示例,或运行 `servresp serve` 追溯自己的数据。",
    status: "状态", ok: "正常", at_risk: "有风险", breached: "已违反", unmeasured: "未测量",
    owners: "责任方", share: "份额", roles: "角色", evidence: "证据", paths: "路径", why: "原因",
    candidates: "候选方(尚无证据)", noOwners: "没有责任方承担份额。",
    breaches: "违反", aspirations: "愿景(仅报告,不算违反)", firedRules: "触发的规则",
    target: "目标", gap: "差距", readFacts: "读取 {n} 条事实,拒绝 {r} 条,未知 {u} 条",
    traceFirst: "请先追溯一个事实文件:标准视图显示其读数。",
    noReadings: "这些事实中没有读数。", mass: "权重", kind: "类型", tracing: "追溯中……",
    window: "周期", breachedPoint: "已违反", noStandards: "没有标准。",
    requestFailed: "服务器拒绝了请求:",
    aspiration: "愿景", breach: "违反",
  },
};

let current = "en";

export function setLang(lang) { current = STRINGS[lang] ? lang : "en"; document.documentElement.lang = current === "zh" ? "zh-CN" : "en"; }
export function lang() { return current; }

/** The UI string `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** A model text ({en, zh} or a plain string) in the current language. */
export function text(value) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[current] || value.en || value.zh || "";
}
