"""The text of the 回避声明与保密承诺 an expert signs per batch, and its fingerprint.

The text is a document, not interface: it is the same Chinese text whatever the page's language
(a translation would be a different text with a different hash), versioned by ``VERSION``; a
changed text gets a new version. What the expert signs is the text with the batch and the
expert's masked name filled in, and ``text_sha256`` is the SHA-256 of exactly that text.
"""

import hashlib

VERSION = "2026-1"

TEMPLATE = """回避声明与保密承诺

本人作为信息消费示范城市评审专家，参加“{batch}”的评审工作，郑重声明并承诺：

一、回避。本人与所评审的申报城市及其牵头单位不存在任职、投资、合作、亲属等利害关系；本人已如实申报工作单位、单位所在城市和需回避的城市、单位。评审中发现应当回避的情形，立即报告工业和信息化部并主动回避。

二、保密。对评审中知悉的申报材料、评审意见、评分结果和专家组成员名单等信息严格保密，不复制、不外传、不向任何单位和个人透露，不利用评审信息谋取利益；评审结束后不保留任何申报材料。

三、公正。独立、客观、公正地评审打分，不接受申报城市及相关单位的宴请、礼品或其他利益，不与申报城市私下接触。

四、责任。如违反上述声明与承诺，本人自愿承担相应责任，接受取消评审专家资格等处理。

声明人：{expert}
"""


def declaration_text(*, batch_title, expert_name):
    """The text shown to (and signed by) an expert for one batch."""
    return TEMPLATE.format(batch=batch_title, expert=expert_name)


def text_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
