"""Hand-labelled review sentences for the complaint-cause tagger.

Each entry: (text, the set of causes a reader would tag). Written by hand, not
generated from the tagger's rules: complaints by cause in several wordings,
negated mentions that are not complaints, praise, and reviews with more than
one cause. The demo's own sentences (lib/demo/vocabulary.py) are included too.
"""
LABELLED = [
    # product quality
    ("用了一个月就坏了，质量太差", {"product_quality"}),
    ("机器噪音很大，做工粗糙", {"product_quality"}),
    ("外壳有裂痕，质量堪忧", {"product_quality"}),
    ("空调不制冷，开了一下午还是热的", {"product_quality"}),
    ("用了不久就出故障了，真的无语", {"product_quality"}),
    ("洗衣机甩干的时候异响特别厉害", {"product_quality"}),
    ("机身漏水，地板都泡了", {"product_quality"}),
    # water quality or taste
    ("出水有怪味，水质不行", {"water_quality"}),
    ("滤出来的水还是有水垢，口感一般", {"water_quality"}),
    ("TDS值降不下来", {"water_quality"}),
    ("水有股塑料味，根本不敢喝", {"water_quality"}),
    ("净化后的水不好喝，还有点发黄", {"water_quality"}),
    # logistics and delivery
    ("物流太慢了，等了一个星期", {"logistics"}),
    ("快递盒子都压坏了", {"logistics"}),
    ("送货不上楼", {"logistics"}),
    ("下单五天了还没发货", {"logistics"}),
    ("快递员态度很差，东西放门口就走了，配送也慢", {"logistics"}),
    # installation
    ("安装师傅迟到了两个小时", {"installation"}),
    ("安装不规范，管子漏水", {"installation"}),
    ("约了三次才来安装", {"installation"}),
    ("安装预约了一周都没人上门，被放鸽子", {"installation"}),
    ("安装费太贵了，还要另外加钱买支架", {"installation"}),
    # filter consumables
    ("滤芯太贵了，换一次几百块", {"filter"}),
    ("滤芯寿命太短，三个月就提醒更换", {"filter"}),
    ("买不到原装滤芯", {"filter"}),
    ("滤芯没货，等了很久", {"filter"}),
    # invoices and gifts
    ("发票一直没开", {"invoice_gift"}),
    ("说好的赠品没有送", {"invoice_gift"}),
    ("赠品少发了一个", {"invoice_gift"}),
    ("催了好几次，商家就是不给开发票", {"invoice_gift"}),
    # not as described
    ("和描述的不一样，没有宣传的功能", {"not_as_described"}),
    ("颜色和图片不符", {"not_as_described"}),
    ("说是一级能效，实际不是", {"not_as_described"}),
    ("收到的是翻新机，货不对板", {"not_as_described"}),
    # complaint handling
    ("投诉了一个星期都没人处理", {"complaint_handling"}),
    ("退货流程太麻烦，一直推脱", {"complaint_handling"}),
    ("申请退款被拒绝，商家踢皮球", {"complaint_handling"}),
    # customer-service attitude
    ("客服态度很差，爱答不理", {"service_attitude"}),
    ("客服只会复制粘贴，解决不了问题", {"service_attitude"}),
    ("问了客服三遍都不回复", {"service_attitude"}),
    ("售后态度恶劣，答非所问", {"service_attitude"}),
    # engineer professionalism
    ("师傅不专业，装了半天", {"engineer"}),
    ("师傅乱收费，材料费很贵", {"engineer"}),
    ("师傅态度不好", {"engineer"}),
    ("维修工技术太差，修不好还把墙弄脏了", {"engineer"}),
    # price
    ("刚买就降价了，不保价", {"price"}),
    ("价格比实体店还贵", {"price"}),
    ("性价比太低，不值这个钱", {"price"}),
    # negated mentions and praise: no cause
    ("安装很快，没问题", set()),
    ("用了一段时间，没有异味", set()),
    ("物流很快，第二天就到了", set()),
    ("师傅很专业，讲解细致", set()),
    ("客服态度很好，有问必答", set()),
    ("价格实惠，性价比高", set()),
    ("做工精致，外观漂亮", set()),
    ("发票和赠品都收到了，没有问题", set()),
    ("送货上门，安装师傅没有乱收费", set()),
    ("和描述一致，很满意", set()),
    ("质量没有问题，用着放心", set()),
    ("水质明显变好，口感不错", set()),
    ("滤芯更换提醒很方便", set()),
    ("一点异味都没有，水很甜", set()),
    ("噪音不大，晚上也能睡", set()),
    ("物流一点也不慢，包装完好", set()),
    ("安装师傅准时到，也不乱收费", set()),
    ("差评", set()),
    # several causes in one review
    ("物流太慢了，等了一个星期，安装师傅还迟到了两个小时。", {"logistics", "installation"}),
    ("滤芯太贵了，换一次几百块，客服态度很差，爱答不理。", {"filter", "service_attitude"}),
    ("用了一个月就坏了，质量太差，投诉了一个星期都没人处理。", {"product_quality", "complaint_handling"}),
    ("发票一直没开，刚买就降价了，不保价。差评", {"invoice_gift", "price"}),
    ("出水有怪味，水质不行，师傅乱收费，材料费很贵。", {"water_quality", "engineer"}),
    ("颜色和图片不符，快递盒子都压坏了。", {"not_as_described", "logistics"}),
    ("物流很快，第二天就到了，但是安装不规范，管子漏水。", {"installation"}),
    ("价格实惠，性价比高，就是赠品少发了一个。", {"invoice_gift"}),
    ("安装很快，没问题，但是机器噪音很大，做工粗糙。", {"product_quality"}),
    ("没有异味，口感不错，但是滤芯寿命太短，三个月就提醒更换。", {"filter"}),
    ("师傅很专业，但客服只会复制粘贴，退货流程太麻烦。", {"service_attitude", "complaint_handling"}),
]
LABELLED += [
    ("价格不贵，很划算", set()),
    ("不会漏水，安装也很规范", set()),
    ("比实体店便宜，没有降价的烦恼", set()),
]
