using System.Globalization;
using MerchantPortal.Web.Features.Waybills.Labels;

namespace MerchantPortal.Web.Tests.Waybills.Labels;

/// <summary>
/// Realistic, deterministic sample labels (Chinese names and addresses, carrier-shaped tracking numbers) for
/// tests, benchmarks and the docs image. The same index always gives the same label. Test code only: the benchmarks
/// compile this file in as well (a link in their project).
/// </summary>
internal static class LabelSamples
{
    private static readonly (string Code, string Name, string Prefix, int Digits)[] Carriers =
    [
        ("ZTO", "中通快递", "7", 13),
        ("YTO", "圆通速递", "YT", 13),
        ("STO", "申通快递", "77", 12),
        ("YUNDA", "韵达快递", "43", 11),
        ("SF", "顺丰速运", "SF", 13),
        ("JD", "京东快递", "JDVA", 11),
    ];

    private static readonly (string Name, string Province, string City, string District, string Address, string Mark, string Hub)[] Receivers =
    [
        ("王晓明", "浙江省", "杭州市", "西湖区", "文三路 478 号华星时代广场 A 座 1203 室", "杭州西湖 310-08", "杭州中心"),
        ("李娜", "上海市", "上海市", "浦东新区", "张江镇祖冲之路 2288 弄 15 号 602 室", "沪浦东 200-A12", "上海转运"),
        ("张伟", "广东省", "深圳市", "南山区", "粤海街道科技南十二路 18 号长虹科技大厦 9 楼", "深南山 518-05", "深圳中心"),
        ("陈静", "北京市", "北京市", "朝阳区", "望京街道阜通东大街 6 号院 3 号楼 1708", "京朝阳 100-C03", "北京分拨"),
        ("刘洋", "四川省", "成都市", "武侯区", "天府大道北段 1700 号环球中心 W6 区 2 单元 1105", "成武侯 610-11", "成都中心"),
        ("赵敏", "湖北省", "武汉市", "洪山区", "珞喻路 1037 号华中科技大学紫菘公寓 7 栋", "汉洪山 430-21", "武汉转运"),
        ("孙丽", "江苏省", "南京市", "鼓楼区", "汉中门大街 301 号 2 幢 502", "宁鼓楼 210-06", "南京中心"),
        ("周杰", "陕西省", "西安市", "雁塔区", "高新路 52 号高科大厦 16 层", "陕西安 710-15", "西安分拨"),
    ];

    private static readonly string[] Items =
    [
        "T恤 ×2, 帆布鞋 ×1",
        "蓝牙耳机 ×1",
        "保温杯 500ml ×1, 杯刷 ×2",
        "羽绒服 ×1",
        "儿童绘本套装（12 册）×1",
        "面膜 ×3, 洁面乳 ×1, 化妆棉 ×2",
        "机械键盘 ×1, 键帽 ×1",
        "茶叶 西湖龙井 250g ×2",
    ];

    private static readonly LabelParty Warehouse = new(
        "杭州优品仓（王店长）", "057188886666", "浙江省", "杭州市", "余杭区", "仓前街道文一西路 1818 号 3 号仓库");

    /// <summary>Sample label number <paramref name="index"/> (carrier, receiver and items rotate with the index).</summary>
    public static LabelData Create(int index = 0, DateTimeOffset? printedAt = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var carrier = Carriers[index % Carriers.Length];
        var receiver = Receivers[index % Receivers.Length];
        var serial = (1_234_567L + (index * 7_919L)).ToString(CultureInfo.InvariantCulture);
        var trackingNo = carrier.Prefix + serial.PadLeft(carrier.Digits, '0')[^carrier.Digits..];
        // Mobile numbers of the right shape (1[3-9]x xxxx xxxx), different per label.
        var phone = string.Create(CultureInfo.InvariantCulture, $"1{3 + (index % 7)}{(80_000_000 + (index * 104_729L)) % 1_000_000_000:D9}");
        return new LabelData
        {
            CarrierCode = carrier.Code,
            CarrierName = carrier.Name,
            TrackingNo = trackingNo,
            MarkDestination = receiver.Mark,
            SortingCode = receiver.Hub,
            Sender = Warehouse,
            Receiver = new LabelParty(receiver.Name, phone, receiver.Province, receiver.City, receiver.District, receiver.Address),
            ItemSummary = Items[index % Items.Length],
            OrderNo = string.Create(CultureInfo.InvariantCulture, $"SO20261128{index + 1:D6}"),
            WeightKg = 0.35m + (index % 9 * 0.45m),
            PrintedAt = printedAt ?? new DateTimeOffset(2026, 11, 28, 18, 30, 0, TimeSpan.FromHours(8)),
            CodAmount = index % 5 == 3 ? 128.50m + index % 7 : null,
            Remark = index % 4 == 1 ? "工作日白天送货，放前台即可" : null,
        };
    }

    /// <summary><paramref name="count"/> sample labels, index 0 … count−1.</summary>
    public static IReadOnlyList<LabelData> Many(int count, DateTimeOffset? printedAt = null) =>
        [.. Enumerable.Range(0, count).Select(i => Create(i, printedAt))];
}
