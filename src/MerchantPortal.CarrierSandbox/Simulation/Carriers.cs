using System.Text;
using System.Text.RegularExpressions;

namespace MerchantPortal.CarrierSandbox.Simulation;

/// <summary>
/// How a carrier's parcels tend to end. Weights are relative; the simulator scales the exception weights per lane
/// (remote regions and long lanes go wrong more often).
/// </summary>
public sealed record OutcomeMix(
    double Delivered,
    double SignedByOther,
    double Locker,
    double LockerTimeout,
    double FailedThenSigned,
    double Rejected,
    double ReturnedToSender,
    double Stuck,
    double Lost);

/// <param name="Prefix">Literal start of every number.</param>
/// <param name="Digits">Random digits after the prefix.</param>
public sealed record CarrierProfile(
    string Code,
    string Name,
    string Prefix,
    int Digits,
    double HoursPerLeg,
    OutcomeMix Mix,
    string LockerBrand)
{
    public Regex Pattern { get; } = new("^" + Regex.Escape(Prefix) + @"\d{" + Digits + "}$", RegexOptions.CultureInvariant);

    public string NewNumber(Random random)
    {
        var sb = new StringBuilder(Prefix);
        for (var i = 0; i < Digits; i++)
        {
            sb.Append((char)('0' + random.Next(10)));
        }

        return sb.ToString();
    }
}

/// <summary>
/// Carriers from carrier-protocol.md §5. Number formats imitate the carriers' real ones (our own simplification —
/// the aggregator does not publish them): SF + 12 digits, ZTO 7 + 13 digits, YTO YT + 13 digits, JD JD + 13 digits…
/// Deppon's express and freight arms share the DPK format on purpose, so 2002 can return several candidates.
/// </summary>
public sealed class Carriers
{
    private static readonly OutcomeMix Premium = new(0.80, 0.06, 0.05, 0.005, 0.04, 0.015, 0.01, 0.01, 0.003);
    private static readonly OutcomeMix Network = new(0.62, 0.08, 0.14, 0.02, 0.06, 0.025, 0.02, 0.02, 0.006);
    private static readonly OutcomeMix Postal = new(0.70, 0.10, 0.06, 0.01, 0.05, 0.02, 0.025, 0.03, 0.008);
    private static readonly OutcomeMix Budget = new(0.58, 0.08, 0.14, 0.03, 0.07, 0.03, 0.03, 0.035, 0.01);
    private static readonly OutcomeMix Freight = new(0.78, 0.08, 0.0, 0.0, 0.07, 0.03, 0.02, 0.02, 0.004);

    public Carriers()
    {
        All =
        [
            new("SF", "顺丰速运", "SF", 12, 4.5, Premium, "丰巢智能快递柜"),
            new("ZTO", "中通快递", "7", 13, 7, Network, "兔喜生活驿站"),
            new("YTO", "圆通速递", "YT", 13, 7.5, Network, "妈妈驿站"),
            new("STO", "申通快递", "77", 11, 8, Network, "申通驿站"),
            new("YD", "韵达速递", "43", 13, 8, Budget, "韵达驿站"),
            new("JD", "京东快递", "JD", 13, 4, Premium, "京东自提柜"),
            new("JDKY", "京东快运", "JDX", 12, 6, Freight, "京东自提点"),
            new("EMS", "EMS", "1", 12, 6, Postal, "中国邮政智能包裹柜"),
            new("YZPY", "邮政快递包裹", "9", 12, 9, Postal, "中国邮政智能包裹柜"),
            new("JTSD", "极兔速递", "JT", 13, 8.5, Budget, "极兔驿站"),
            new("DBL", "德邦快递", "DPK", 12, 6.5, Freight, "德邦自提点"),
            new("DBLKY", "德邦快运", "DPK", 12, 9, Freight, "德邦自提点"),
            new("HTKY", "百世快递", "55", 11, 9, Budget, "百世邻里驿站"),
            new("UC", "优速快递", "UC", 12, 9.5, Budget, "菜鸟驿站"),
            new("ZJS", "宅急送", "ZJS", 12, 7, Network, "菜鸟驿站"),
            new("KYSY", "跨越速运", "KY", 11, 4.5, Premium, "跨越自提点"),
            new("ANE", "安能快递", "300", 10, 10, Budget, "菜鸟驿站"),
            new("FWX", "丰网速运", "FW", 13, 7, Network, "丰巢智能快递柜"),
        ];
    }

    public IReadOnlyList<CarrierProfile> All { get; }

    /// <summary>Codes are case-sensitive upper-case ASCII (carrier-protocol.md §5); we only trim.</summary>
    public CarrierProfile? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(c => c.Code == code.Trim());

    /// <summary>2002: every carrier whose number format fits; empty when none does.</summary>
    public IReadOnlyList<CarrierProfile> Recognise(string logisticCode) =>
        All.Where(c => c.Pattern.IsMatch(logisticCode.Trim())).ToList();
}
