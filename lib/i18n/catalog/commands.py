"""Messages of the console's write commands (lib/commands): what to fix, or who got there first."""
MESSAGES = {
    # shared
    "commands.reason_required": ("请填写原因（至少 {min_chars} 个字）。",
                                 "Please give a reason (at least {min_chars} characters)."),
    "commands.reason_too_long": ("原因过长（{length} 字），请缩短到 {max_chars} 字以内。",
                                 "The reason is too long ({length} characters); keep it within {max_chars}."),
    "commands.text_bad_characters": ("文字中含有无法保存的控制字符，请删除后重试。",
                                     "The text contains control characters that cannot be saved; remove them."),
    "commands.bad_id": ("“{field}”不是有效的记录编号，请从列表中选择。",
                        "“{field}” is not a valid record number; pick one from the list."),
    "commands.bad_limit": ("每页行数须在 1 到 {maximum} 之间。", "Rows per page must be from 1 to {maximum}."),
    "commands.bad_waiting_days": ("等待天数须为不小于 0 的整数。", "Waiting days must be a whole number, 0 or more."),
    "commands.bad_date_range": ("请选择有效的日期范围（开始日期不晚于结束日期）。",
                                "Pick a valid date range (the start no later than the end)."),
    # certifications
    "commands.certification.no_exam_score": ("该申请还没有考试成绩，不能批准。",
                                             "This application has no exam score yet; it cannot be approved."),
    "commands.certification.score_below_pass_mark": (
        "考试成绩 {score} 分，未达到合格线 {pass_mark} 分，不能批准。",
        "Exam score {score} is below the pass mark of {pass_mark}; it cannot be approved."),
    "commands.certification.id_not_verified": ("身份证尚未核验，核验后才能批准。",
                                               "The ID card is not verified yet; verify it before approving."),
    "commands.certification.work_card_not_verified": (
        "上岗证尚未核验，核验后才能批准。", "The work card is not verified yet; verify it before approving."),
    "commands.certification.not_approved": ("只能撤销已批准的认证，该认证当前状态为“{status}”。",
                                            "Only an approved certification can be revoked; this one is “{status}”."),
    "commands.certification.already_decided": (
        "该申请已由 {by} 于 {at} 处理（{decision}），未做更改。",
        "This application was already decided by {by} at {at} ({decision}); nothing was changed."),
    "commands.certification.batch_empty": ("请至少选择一条申请。", "Select at least one application."),
    "commands.certification.batch_too_large": ("一次最多批准 {maximum} 条，请分批处理。",
                                               "At most {maximum} at once; please approve in smaller batches."),
    # trade-in coupons
    "commands.coupon.value_not_whole": ("券面值须为整数金额，范围 {min_fen} 到 {max_fen}。",
                                        "The coupon value must be a whole amount from {min_fen} to {max_fen}."),
    "commands.coupon.value_out_of_range": (
        "券面值 {value_fen} 超出允许范围：规则值 {rule_fen}，可调整范围 {min_fen} 到 {max_fen}。",
        "A value of {value_fen} is outside the allowed range: the rule value is {rule_fen}, "
        "adjustable from {min_fen} to {max_fen}."),
    "commands.coupon.already_issued": ("该以旧换新申请的优惠券已由 {by} 于 {at} 发放（{decision}），不会重复发放。",
                                       "A coupon for this trade-in request was already issued by {by} at {at} "
                                       "({decision}); no second coupon was issued."),
    "commands.coupon.already_redeemed": ("该优惠券已于 {at} 被使用（{by}，{decision}），不能作废。",
                                         "This coupon was redeemed at {at} ({by}, {decision}); it cannot be voided."),
    "commands.coupon.not_voidable": ("该优惠券已由 {by} 于 {at} 处理，当前状态为“{decision}”，不能作废。",
                                     "This coupon was already handled by {by} at {at} and is now “{decision}”; "
                                     "it cannot be voided."),
    "commands.trade_in.already_decided": ("该以旧换新申请已由 {by} 于 {at} 处理（{decision}），未做更改。",
                                          "This trade-in request was already decided by {by} at {at} "
                                          "({decision}); nothing was changed."),
    # free-repair days
    "commands.event.bad_date": ("请选择活动日期。", "Pick the event's date."),
    "commands.event.date_in_past": ("活动日期 {date} 早于今天（{today}），请选择今天或以后的日期。",
                                    "The date {date} is before today ({today}); pick today or a later day."),
    "commands.event.date_too_far": ("活动日期 {date} 太远，最晚可安排到 {last}。",
                                    "The date {date} is too far ahead; the latest is {last}."),
    "commands.event.services_required": ("请至少选择一项服务（可选：{choices}）。",
                                         "Choose at least one service ({choices})."),
    "commands.event.unknown_service": ("未知的服务“{service}”，可选：{choices}。",
                                       "Unknown service “{service}”; choose from {choices}."),
    "commands.event.bad_capacity": ("名额须为 1 到 {maximum} 之间的整数。",
                                    "Capacity must be a whole number from 1 to {maximum}."),
    "commands.event.engineers_required": ("请选择 1 到 {maximum} 名工程师。",
                                          "Choose from 1 to {maximum} engineers."),
    "commands.event.unknown_community": ("找不到编号为 {community_id} 的小区，请重新选择。",
                                         "Community {community_id} was not found; pick it again."),
    "commands.event.unknown_engineer": ("找不到编号为 {engineer_id} 的工程师，请重新选择。",
                                        "Engineer {engineer_id} was not found; pick again."),
    "commands.event.engineer_not_active": ("工程师 {engineer} 当前状态为“{status}”，只能安排在岗工程师。",
                                           "Engineer {engineer} is “{status}”; only active engineers can be booked."),
    "commands.event.engineer_other_city": ("工程师 {engineer} 不在该小区所在城市，请换一位。",
                                           "Engineer {engineer} works in another city than the community; choose another."),
    "commands.event.engineer_not_certified": (
        "工程师 {engineer} 没有与所选服务（{services}）相符的已批准认证。",
        "Engineer {engineer} holds no approved certification for the chosen services ({services})."),
    "commands.event.engineer_booked": ("工程师 {engineer} 在 {date} 已安排在活动 {event_id}，请换一位。",
                                       "Engineer {engineer} is already booked on event {event_id} on {date}; choose another."),
    "commands.event.service_uncovered": ("所选工程师中没有人能提供“{service}”服务，请增加有相应认证的工程师或去掉该服务。",
                                         "None of the chosen engineers is certified for “{service}”; add one who is, "
                                         "or drop the service."),
    "commands.event.community_taken": (
        "该小区在 {date} 已有活动 {event_id}，由 {by} 于 {at} 安排（{decision}）。",
        "This community already has event {event_id} on {date}, planned by {by} at {at} ({decision})."),
    "commands.event.not_cancellable": ("该活动已由 {by} 于 {at} 处理，当前状态为“{decision}”，不能取消。",
                                       "This event was already handled by {by} at {at} and is now “{decision}”; "
                                       "it cannot be cancelled."),
}
