namespace MerchantPortal.Web.Data.DemoData;

/// <summary>How the demo data comes about (docs/decisions/0014-demo-data-is-a-real-run.md).</summary>
public enum DemoDataMode
{
    /// <summary>
    /// The real flows against the in-process carrier sandbox, with the clock run fast over <see cref="DemoDataOptions.Days"/>
    /// days: what `./portal run` shows. Runs once per empty database, in the background after the portal serves.
    /// </summary>
    Run,

    /// <summary>
    /// Rows written directly, statuses drawn at random: a deterministic fixture for tests, and the bulk path the benchmarks
    /// use to fill a database with a million orders. Not a story a newcomer should read.
    /// </summary>
    Fixture,
}

public sealed class DemoDataOptions
{
    public const string Section = "DemoData";

    /// <summary>Seed demo users, keys and data. Honoured in Development only: other environments never get demo users.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Password of the three demo users (admin@, ops@, cs@demo.local).</summary>
    public string? Password { get; set; }

    /// <summary>An API key with every scope, registered as given (so scripts and docs can use it).</summary>
    public string? ApiKey { get; set; }

    [System.ComponentModel.DataAnnotations.EnumDataType(typeof(DemoDataMode), ErrorMessage = "DemoData:Mode is Run or Fixture.")]
    public DemoDataMode Mode { get; set; } = DemoDataMode.Run;

    /// <summary>
    /// How many demo orders an empty database gets: over the run's days in <see cref="DemoDataMode.Run"/>, written at once in
    /// <see cref="DemoDataMode.Fixture"/> (--DemoData:Mode Fixture --DemoData:Orders 1000000 for benchmarks).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue, ErrorMessage = "DemoData:Orders must not be negative.")]
    public int Orders { get; set; } = 2_400;

    /// <summary>Fixture only: how many shipments (with scan histories) to paint for the fixture orders that have left.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue, ErrorMessage = "DemoData:Shipments must not be negative.")]
    public int Shipments { get; set; } = 3_000;

    /// <summary>Run only: the simulated days of history; the run starts this many days ago and ends now.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650, ErrorMessage = "DemoData:Days must be between 1 and 3650.")]
    public int Days { get; set; } = 30;

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
