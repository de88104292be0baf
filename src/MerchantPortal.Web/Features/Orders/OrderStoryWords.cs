using System.Globalization;
using System.Text.RegularExpressions;
using MerchantPortal.Web.Components.Shared;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Features.Orders;

/// <summary>A history line as a reader reads it: what happened, and its detail in the reader's language.</summary>
public sealed record StoryLine(string Title, string? Detail);

/// <summary>
/// Words an order's own history rows. A row keeps its detail as data in a fixed shape ("SF SF1234 · #12" for a waybill
/// of batch 12, "import #3, row 7", "Replacement A-R1: lost"); this turns the shape into a sentence from
/// OrdersResources (carriers by name, batches and rows named) so neither language shows the stored form. A detail
/// that is someone's own words (a hold reason, a remark) is shown as written.
/// </summary>
public static partial class OrderStoryWords
{
    public static StoryLine Word(string action, string? details, OrderStatus? movedTo, IStringLocalizer<OrdersResources> l)
    {
        var baseTitle = Text(l, "Story.Order." + action) ?? l["Story.Order.Other"].Value;
        var title = baseTitle;
        string? detail = details;
        switch (action)
        {
            case "WaybillIssued" when WaybillOfBatch().Match(details ?? "") is { Success: true } m:
                title = l["Story.Order.WaybillIssued.Batch", m.Groups["batch"].Value].Value;
                detail = Parcel(m.Groups["code"].Value, m.Groups["no"].Value, null);
                break;
            case "WaybillIssued" or "WaybillVoided" or "ParcelRegistered" or "ParcelScanned" or "CaseOpened" or "CaseResolved"
                when ParcelAndScan().Match(details ?? "") is { Success: true } m:
                detail = Parcel(m.Groups["code"].Value, m.Groups["no"].Value, m.Groups["rest"].Success ? m.Groups["rest"].Value : null);
                break;
            case "Edited" when details == AddressCorrected:
                detail = null;
                break;
            case "Created" when details == "API":
                detail = l["Story.Detail.Api"].Value;
                break;
            case "Imported" when ImportRow().Match(details ?? "") is { Success: true } m:
                detail = l["Story.Detail.ImportRow", m.Groups["import"].Value, m.Groups["row"].Value].Value;
                break;
            case ReshipOrders.HistoryAction when ReplacedBy().Match(details ?? "") is { Success: true } m:
                detail = l["Story.Detail.ReplacedBy", m.Groups["no"].Value, Why(m.Groups["why"].Value, l)].Value;
                break;
            case ReshipOrders.HistoryAction when ReshipOf().Match(details ?? "") is { Success: true } m:
                detail = l["Story.Detail.ReshipOf", m.Groups["no"].Value, Why(m.Groups["why"].Value, l)].Value;
                break;
        }
        // The status the order moved to, unless the title already says it ("Waybill issued" moved to "Waybill issued").
        if (movedTo is { } to && Text(l, "Status." + to) is { } status && !string.Equals(status, baseTitle, StringComparison.CurrentCultureIgnoreCase))
        {
            title = l["Story.MovedTo", title, status].Value;
        }
        return new StoryLine(title, string.IsNullOrWhiteSpace(detail) ? null : detail);
    }

    /// <summary>The detail <see cref="OrderAddressService"/> stores for a corrected address.</summary>
    public const string AddressCorrected = "receiver, address and weight corrected";

    private static string Parcel(string code, string trackingNo, string? rest) =>
        string.Create(CultureInfo.InvariantCulture, $"{CarrierNames.Of(code)} {trackingNo}{(rest is null ? "" : " · " + rest)}");

    /// <summary>A replacement's reason: an exception case's (stored as "exception case #12 (Lost): note") by its number.</summary>
    private static string Why(string why, IStringLocalizer<OrdersResources> l) => FromCase().Match(why) is { Success: true } m
        ? l["Story.Detail.FromCase", m.Groups["case"].Value].Value + (m.Groups["note"].Success ? Punctuation.Colon + m.Groups["note"].Value : "")
        : why;

    private static string? Text(IStringLocalizer l, string key) => l[key] is { ResourceNotFound: false } found ? found.Value : null;

    [GeneratedRegex(@"^(?<code>[A-Z0-9]{1,10}) (?<no>\S+) · #(?<batch>\d+)$")]
    private static partial Regex WaybillOfBatch();

    [GeneratedRegex(@"^(?<code>[A-Z0-9]{1,10}) (?<no>\S+)(?: · (?<rest>.+))?$", RegexOptions.Singleline)]
    private static partial Regex ParcelAndScan();

    [GeneratedRegex(@"^import #(?<import>\d+), row (?<row>\d+)$")]
    private static partial Regex ImportRow();

    [GeneratedRegex(@"^exception case #(?<case>\d+) \(\w+\)(?:: (?<note>.*))?$", RegexOptions.Singleline)]
    private static partial Regex FromCase();

    [GeneratedRegex(@"^Replacement (?<no>\S+): (?<why>.*)$", RegexOptions.Singleline)]
    private static partial Regex ReplacedBy();

    [GeneratedRegex(@"^补发 reship of (?<no>\S+): (?<why>.*)$", RegexOptions.Singleline)]
    private static partial Regex ReshipOf();
}
