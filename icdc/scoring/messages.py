"""Every user-facing string of the scoring engine, in Chinese, in one place.

The engine has no Django, so it cannot translate; the strings are plain ``str.format``
templates with named fields, each marked with ``gettext_noop`` so that ``makemessages``
puts it in the catalogue. The engine fills them in Chinese (errors carry ``template`` and
``fields``; explanation nodes carry their codes and fields); the Django side translates the
template at render time (``icdc.rankings.texts``) and fills in the same fields.
"""


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translation catalogue (``makemessages`` extracts calls by this
    name) and returns it unchanged: translating is the Django side's job, at render time."""
    return message


# Input errors: bad input gets a clear message and changes nothing (SPEC §6).
NO_INDICATORS = gettext_noop("指标体系为空，无法计分")
DUPLICATE_INDICATOR = gettext_noop("指标代码 {code} 重复")
BAD_KIND = gettext_noop("指标 {code} 的类型须为定量（quantitative）或定性（qualitative）")
BAD_WEIGHT = gettext_noop("指标 {code} 的权重须为大于 0 的有限数值")
BAD_RULE = gettext_noop("定量指标 {code} 的计分规则须为 linear、reverse_linear 或 threshold")
BAD_BAND = gettext_noop("指标 {code} 的下限值与目标值须为不相同的有限数值")
LINEAR_DIRECTION = gettext_noop("指标 {code} 按“越高越好”线性计分，目标值须大于下限值")
BAD_TARGET = gettext_noop("指标 {code} 达标计分须填写有限的目标值")
DUPLICATE_CITY = gettext_noop("城市 {city} 在 {track} 类别中重复出现")
EMPTY_CODE = gettext_noop("城市代码和类别不能为空")
UNKNOWN_FIGURE = gettext_noop("城市 {city} 填报了不存在或非定量的指标：{codes}")
BAD_FIGURE = gettext_noop("城市 {city} 指标 {code} 的数值 {value} 不是有限数值")
INCOMPLETE_SHEET = gettext_noop("城市 {city} 专家 {expert} 的评分表缺少指标：{codes}")
UNKNOWN_SCORE = gettext_noop("城市 {city} 专家 {expert} 的评分表含有不存在或非定性的指标：{codes}")
SCORE_RANGE = gettext_noop("城市 {city} 专家 {expert} 对指标 {code} 的评分 {value} 超出 0～{weight} 分的范围")
DEFENCE_RANGE = gettext_noop("城市 {city} 的答辩得分 {value} 超出 0～100 分的范围")
DEFENCE_EXPERT_RANGE = gettext_noop("城市 {city} 专家 {expert} 的答辩评分 {value} 超出 0～100 分的范围")
DEFENCE_BOTH = gettext_noop("城市 {city} 同时给出了答辩得分和各专家的答辩评分，只能给出其中一种")
BAD_COMPOSITE_WEIGHTS = gettext_noop("材料评审与答辩的权重须为非负数且合计为 1（当前为 {w1} 与 {w2}）")
MISSING_QUOTA = gettext_noop("未设置 {tracks} 类别的名额")
BAD_QUOTA = gettext_noop("{track} 类别的名额须为非负整数")
BAD_PASS_MARK = gettext_noop("合格分数线须为有限数值")
BAD_DRAWS = gettext_noop("稳健性分析的抽样次数须为非负整数")
BAD_SEED = gettext_noop("随机种子须为非负整数")
BAD_WEIGHT_CV = gettext_noop("权重扰动幅度须大于 0 且小于 1")
BAD_CLOSE_CALL = gettext_noop("临界判定阈值须在 0 与 0.5 之间")
BAD_HASH = gettext_noop("不支持的摘要算法 {name}")

# AHP (层次分析法).
AHP_NOT_SQUARE = gettext_noop("判断矩阵须为方阵")
AHP_TOO_LARGE = gettext_noop("判断矩阵的阶数为 {n}，超过 10 阶无随机一致性指标可用，请分层比较（每层不超过 10 项）")
AHP_LABELS = gettext_noop("判断矩阵的标签数须与阶数一致")
AHP_NOT_POSITIVE = gettext_noop("判断矩阵的元素须为正的有限数值")
AHP_DIAGONAL = gettext_noop("判断矩阵对角线上的元素须为 1（第 {i} 项）")
AHP_SCALE = gettext_noop("「{a}」相对「{b}」的判断值 {value} 超出 1/9～9 的标度范围")
AHP_RECIPROCAL = gettext_noop("「{a}」相对「{b}」的判断值 {value} 与反向判断 {back} 不互为倒数")
AHP_MISSING_PAIR = gettext_noop("缺少「{a}」与「{b}」的两两比较")
AHP_INCONSISTENT = gettext_noop(
    "判断矩阵的一致性比率 CR = {cr:.3f}，未满足 CR < 0.10 的要求，未采用。"
    "与整体判断偏离最大的比较依次为：{pairs}。请复核这些比较后重新提交。"
)
AHP_PAIR = gettext_noop("「{a}」相对「{b}」判断为 {given}，按矩阵导出的权重推算约为 {implied}")
AHP_PAIR_SEPARATOR = gettext_noop("；")

# Flags shown beside a city's result.
FLAG_LABELS = {
    "missing_figure": gettext_noop("缺少统计数据，该指标按 0 分计"),
    "no_expert_scores": gettext_noop("定性指标无专家评分，按 0 分计"),
    "expert_outlier": gettext_noop("有专家评分明显偏离其他专家"),
    "missing_defence": gettext_noop("缺少答辩得分，按 0 分计"),
    "below_pass_mark": gettext_noop("综合得分低于合格分数线"),
    "tied_at_cutoff": gettext_noop("与名额线上的城市同分，按并列规则排序"),
    "close_call": gettext_noop("排名稳健性分析显示入选结果不稳定（临界）"),
}

# How each rule is described in an explanation.
RULE_TEXT = {
    "linear": gettext_noop("线性计分：得分 = {weight:g} × 限定在 0～1 之间的 (数值 − {floor:g}) ÷ ({target:g} − {floor:g})"),
    "reverse_linear": gettext_noop("线性计分（越低越好）：数值不高于 {best:g} 得满分 {weight:g}，不低于 {worst:g} 得 0 分，其间按比例"),
    "threshold": gettext_noop("达标计分：数值不低于 {target:g} 得满分 {weight:g}，否则 0 分"),
    "missing": gettext_noop("缺少统计数据，按 0 分计"),
}
AGGREGATION_TEXT = {
    "trimmed_mean": gettext_noop("{n} 位专家评分，去掉一个最高分和一个最低分后取平均"),
    "mean": gettext_noop("{n} 位专家评分，取平均（不足 5 位专家不去掉最高最低分）"),
    "none": gettext_noop("无专家评分，按 0 分计"),
}
DEFENCE_AGGREGATION_TEXT = {
    "trimmed_mean": gettext_noop("{n} 位专家答辩评分，去掉一个最高分和一个最低分后取平均"),
    "mean": gettext_noop("{n} 位专家答辩评分，取平均（不足 5 位专家不去掉最高最低分）"),
    "single": gettext_noop("答辩得分（已汇总）"),
    "none": gettext_noop("无答辩得分，按 0 分计"),
}
COMPOSITE_TEXT = gettext_noop("综合得分 = 材料评审得分 {material:.2f} × {w1:g} + 答辩得分 {defence:.2f} × {w2:g}")
