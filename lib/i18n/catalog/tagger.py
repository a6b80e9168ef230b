"""Texts of the review-cause tagger (issue 15): what each cause means, and correcting a review."""
MESSAGES = {
    "tagger.definitions_title": ("各原因的含义", "What each cause means"),
    "tagger.counts": ("算作", "Counts"),
    "tagger.not_counts": ("不算作", "Does not count"),
    "tagger.def.product_quality": (
        "机器本身出故障或性能差：坏了、报错、机身漏水、噪音异响、制冷制热吸力不足、做工差、机器本身的焦糊味。",
        "The appliance itself fails or performs badly: breaks, error codes, leaks from the machine, noise, "
        "weak cooling, heating or suction, poor build, a burning smell from the machine."),
    "tagger.not.product_quality": (
        "运输中损坏（物流配送）；安装造成的漏水（安装）；与页面不符（与描述不符）；出水的味道（水质口感）。",
        "Damage in transit (logistics); leaks from the fitting (installation); differs from the listing "
        "(not as described); how the water tastes (water quality)."),
    "tagger.def.water_quality": (
        "净水器、热水器出的水：口感、异味、颜色、水垢、杂质、TDS 降不下来。",
        "The water from a purifier or heater: taste, smell, colour, scale, particles, TDS that stays high."),
    "tagger.not.water_quality": (
        "机器本身的气味（产品质量）；滤芯的价格和寿命（滤芯耗材）。",
        "A smell of the machine itself (product quality); the filters' price or life (filter consumables)."),
    "tagger.def.logistics": (
        "发货和送货：发货慢、送货慢、运输中压坏或丢件、发错或少发、快递员的态度、不送上楼。",
        "Shipping and delivery: slow dispatch or delivery, damaged or lost in transit, wrong or missing "
        "parcel, the courier's conduct, not carried upstairs."),
    "tagger.not.logistics": ("等安装（安装）。", "Waiting for the installer (installation)."),
    "tagger.def.installation": (
        "安装这项服务及其结果：预约难、久等、迟到爽约、安装收费、装歪、接口漏水、位置不对。",
        "Installation as a service and its result: booking, waiting, late or missed appointments, "
        "installation charges, crooked or leaking fitting, the wrong position."),
    "tagger.not.installation": (
        "上门师傅本人的态度、手艺、乱收费（师傅专业度）。",
        "The installer's own attitude, skill or extra charges (engineer professionalism)."),
    "tagger.def.filter": (
        "滤芯和耗材：价格、寿命短、买不到、只能用专用或原装、假滤芯、更换提醒不准。",
        "Filters and consumables: price, short life, hard to buy, proprietary only, fake filters, "
        "replacement reminders that are wrong."),
    "tagger.not.filter": ("出水的味道本身（水质口感，两者都有时两个都算）。",
                          "How the water tastes (water quality; both when a review names both)."),
    "tagger.def.invoice_gift": (
        "发票（不开、开错、拖延）和承诺的赠品、返现、延保、补贴没兑现。",
        "Invoices (not issued, wrong, late) and promised gifts, cashbacks, extended warranties or "
        "subsidies not delivered."),
    "tagger.not.invoice_gift": ("商品本身与页面不符（与描述不符）。",
                                "The product itself differing from the listing (not as described)."),
    "tagger.def.not_as_described": (
        "商品与页面或销售说的不一样：参数虚标、低配、老款、二手或翻新、型号颜色不对、宣传的功能没有。",
        "The product differs from the listing or the pitch: overstated specifications, a lower "
        "configuration, an old model, used or refurbished, wrong model or colour, advertised features missing."),
    "tagger.not.not_as_described": (
        "与页面一致但坏了（产品质量）；少了赠品（发票赠品）。",
        "Matches the listing but breaks (product quality); a missing gift (invoices and gifts)."),
    "tagger.def.complaint_handling": (
        "投诉、退换货、退款、保修的处理：被拒、拖延、推来推去、没有结果。",
        "How a complaint, return, refund, exchange or warranty claim is handled: refused, stalled, "
        "passed around, never resolved."),
    "tagger.not.complaint_handling": ("只是客服回复的态度（客服态度）。",
                                      "Only the tone of the service's replies (customer-service attitude)."),
    "tagger.def.service_attitude": (
        "店铺或品牌的在线、电话客服：态度差、回复慢、机器人或模板回复、不回、答非所问。",
        "The shop's or brand's online or phone service: rude, slow, canned or robot replies, no answer, "
        "unhelpful answers."),
    "tagger.not.service_attitude": (
        "上门的师傅（师傅专业度）；投诉的处理结果（投诉处理）。",
        "The engineer at home (engineer professionalism); the outcome of a claim (complaint handling)."),
    "tagger.def.engineer": (
        "上门的安装或维修师傅本人：态度、手艺、不专业、现场乱收费、弄脏弄坏、修不好。",
        "The person on site, installer or repairer: attitude, skill, unprofessional work, extra charges "
        "he asks for, mess or damage left, repairs that fail."),
    "tagger.not.engineer": ("预约和等待（安装）；在线客服（客服态度）。",
                            "Booking and waiting (installation); the online service (customer-service attitude)."),
    "tagger.def.price": (
        "所付的价格：买后降价、不保价、别处更便宜、不值、促销是假的。",
        "The price paid: a drop after buying, no price protection, cheaper elsewhere, poor value, "
        "promotions that were not."),
    "tagger.not.price": (
        "滤芯的价格（滤芯耗材）；安装费（安装）；师傅现场加收的钱（师傅专业度）。",
        "Filter prices (filter consumables); installation charges (installation); extra charges by the "
        "engineer (engineer professionalism)."),
    "tagger.def.other": ("差评里没有识别出上述任何原因。", "A negative review naming none of the causes above."),
    "tagger.not.other": ("差评里提到了原因，哪怕只有一个。", "A review that names any cause, even one."),
    "tagger.model_note": (
        "原因由模型 {version} 识别（规则与分类器结合，在冻结测试集上微平均 F1 为 {f1}）；经理的更正优先于模型。",
        "Causes found by model {version} (rules with a classifier, micro-F1 {f1} on the frozen test split); "
        "a manager's correction overrides the model."),
    "tagger.corrected": ("已更正", "Corrected"),
    "tagger.causes": ("原因", "Causes"),
    "tagger.correct_title": ("更正一条差评的原因", "Correct a review's causes"),
    "tagger.correct_help": (
        "从上面的示例中选一条差评，选出它真正提到的原因并保存。更正写入控制台自己的表，平台的评价不变；"
        "更正会计入本页所有数字，并进入下一次模型训练。",
        "Pick a review from the examples above, choose the causes it really names and save. The correction "
        "is kept in the console's own table (the platform's review is unchanged), counts in every figure "
        "of this page and joins the next training run."),
    "tagger.correct_pick": ("差评", "Review"),
    "tagger.correct_causes": ("它提到的原因（不选 = 没有原因）", "Causes it names (none chosen = no cause)"),
    "tagger.correct_save": ("保存更正", "Save correction"),
    "tagger.correct_undo": ("撤销更正，恢复模型结果", "Undo the correction (back to the model)"),
    "tagger.correct_saved": ("已保存更正：差评 #{review_id}。", "Correction saved: review #{review_id}."),
    "tagger.correct_undone": ("已撤销对差评 #{review_id} 的更正。", "Correction of review #{review_id} undone."),
    "tagger.correct_by": ("{user} 已更正（模型原结果：{tagger}）", "Corrected by {user} (the model said: {tagger})"),
    "tagger.none": ("无", "none"),
    "tagger.bad_causes": ("不认识的原因：{causes}", "Unknown causes: {causes}"),
    "tagger.no_review": ("没有编号为 {review_id} 的评价。", "There is no review #{review_id}."),
    "tagger.corrected_meanwhile": ("差评 #{review_id} 刚被别人更正，请刷新后再试。",
                                   "Review #{review_id} was just corrected by someone else; reload and try again."),
}
