namespace MerchantPortal.Web.Data.DemoData;

public sealed class DemoDataOptions
{
    public const string Section = "DemoData";

    /// <summary>Seed demo users, keys and data. Honoured in Development only: other environments never get demo users.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Password of the three demo users (admin@, ops@, cs@demo.local).</summary>
    public string? Password { get; set; }

    /// <summary>An API key with every scope, registered as given (so scripts and docs can use it).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many demo orders to generate on an empty database (--DemoData:Orders 1000000 for benchmarks).</summary>
    public int Orders { get; set; } = 20_000;

    /// <summary>How many demo shipments (with scan histories) to follow for the demo orders that have left.</summary>
    public int Shipments { get; set; } = 3_000;

    /// <summary>Seed of the generator: the same seed gives the same data.</summary>
    public int Seed { get; set; } = 20261128;

    public static readonly (string Email, string Role, string Name)[] Users =
    [
        ("admin@demo.local", Infrastructure.Roles.Admin, "演示管理员 Demo Admin"),
        ("ops@demo.local", Infrastructure.Roles.Ops, "运营小王 Ops Wang"),
        ("cs@demo.local", Infrastructure.Roles.CustomerService, "客服小李 CS Li"),
    ];
}

/// <summary>
/// One step of the deterministic demo-data generator. Features add theirs (orders, shipments, …); each runs in
/// <see cref="Order"/> and must do nothing when its data is already there, so restarts are cheap and harmless.
/// </summary>
public interface IDemoDataSeeder
{
    int Order { get; }
    Task SeedAsync(DemoDataOptions options, CancellationToken ct);
}
