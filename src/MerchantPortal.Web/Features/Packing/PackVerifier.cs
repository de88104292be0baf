namespace MerchantPortal.Web.Features.Packing;

/// <summary>One item to verify in a parcel: the quantity expected and the codes a scan of it may carry (its SKU, its catalogue barcode).</summary>
public sealed record PackItem(string Sku, string Name, int Quantity, IReadOnlyList<string> Codes);

public enum ScanVerdict
{
    /// <summary>The code is an item of the parcel that still has units to scan.</summary>
    Accepted,
    /// <summary>The code is no item of the parcel.</summary>
    Wrong,
    /// <summary>The code is an item of the parcel whose units are all scanned already: one too many.</summary>
    Extra,
}

/// <param name="Item">The item the code belongs to (null for a wrong code).</param>
public sealed record ScanResult(ScanVerdict Verdict, string Code, int? Item);

/// <summary>
/// Scan-to-verify (扫描验货) without a page or a database: the page asks it about each scan, and the server replays
/// the page's scans through it before storing a pack record, so a parcel is recorded as checked only when it was.
/// Codes match trimmed and case-insensitively (a wedge scanner types what the label says; a packer may type a SKU).
/// </summary>
public sealed class PackVerifier
{
    private readonly IReadOnlyList<PackItem> items;
    private readonly int[] scanned;

    public PackVerifier(IReadOnlyList<PackItem> items)
    {
        this.items = items;
        scanned = new int[items.Count];
    }

    public IReadOnlyList<PackItem> Items => items;

    public IReadOnlyList<int> Scanned => scanned;

    public int Accepted => scanned.Sum();

    public int Refused { get; private set; }

    public int Expected => items.Sum(i => i.Quantity);

    /// <summary>Every unit of every item scanned (a parcel with nothing to scan is never complete).</summary>
    public bool Complete => Expected > 0 && items.Select((item, i) => scanned[i] >= item.Quantity).All(done => done);

    /// <summary>The first item with units still to scan, for "missing" messages.</summary>
    public PackItem? FirstMissing => items.Where((item, i) => scanned[i] < item.Quantity).FirstOrDefault();

    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();

    /// <summary>Which items a code names, without scanning it.</summary>
    public IEnumerable<int> Matches(string code)
    {
        var key = Normalize(code);
        return key.Length == 0 ? [] : Enumerable.Range(0, items.Count).Where(i => items[i].Codes.Any(c => Normalize(c) == key));
    }

    public ScanResult Scan(string code)
    {
        var matches = Matches(code).ToList();
        if (matches.Count == 0)
        {
            Refused++;
            return new ScanResult(ScanVerdict.Wrong, code.Trim(), null);
        }
        // Two items may share a barcode (a colour variant catalogued with the product's code): the first with units left takes it.
        foreach (var i in matches.Where(i => scanned[i] < items[i].Quantity))
        {
            scanned[i]++;
            return new ScanResult(ScanVerdict.Accepted, code.Trim(), i);
        }
        Refused++;
        return new ScanResult(ScanVerdict.Extra, code.Trim(), matches[0]);
    }
}
