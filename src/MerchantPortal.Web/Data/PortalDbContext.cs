using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Data;

/// <summary>
/// The one context of the portal. Each provider has a derived type that owns its migration set
/// (<see cref="SqlitePortalDbContext"/>, <see cref="SqlServerPortalDbContext"/>, <see cref="PostgreSqlPortalDbContext"/>): EF finds migrations by
/// context type, so two migration sets need two types. Code always asks for
/// <c>IDbContextFactory&lt;PortalDbContext&gt;</c> and never cares which provider is behind it.
/// Entity configurations live in their feature folders and are picked up by assembly scan.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money and weights: one precision everywhere so both providers agree.
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
    }
}

public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options);

public sealed class SqlServerPortalDbContext(DbContextOptions<SqlServerPortalDbContext> options) : PortalDbContext(options);

/// <summary>
/// PostgreSQL, the engine with several writers at once. Two differences from the other providers are made here,
/// once, so feature code stays provider-free: times keep Npgsql's "timestamp without time zone" mapping
/// (<see cref="PostgreSqlTimestamps"/>), and index filters written in the bracketed form SQLite and SQL Server both
/// read (<c>[Status] &lt;&gt; 'Resolved'</c>) are given PostgreSQL's double quotes.
/// </summary>
public sealed partial class PostgreSqlPortalDbContext : PortalDbContext
{
    static PostgreSqlPortalDbContext() => PostgreSqlTimestamps.Use();

    public PostgreSqlPortalDbContext(DbContextOptions<PostgreSqlPortalDbContext> options) : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        foreach (var index in builder.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()))
        {
            if (index.GetFilter() is { } filter && filter.Contains('[', StringComparison.Ordinal))
            {
                index.SetFilter(BracketedName().Replace(filter, "\"$1\""));
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\[(\w+)\]")]
    private static partial System.Text.RegularExpressions.Regex BracketedName();
}

/// <summary>
/// Every time in the portal is a UTC <see cref="DateTime"/> in a column named *Utc, stored without an offset, as in
/// SQLite and SQL Server (datetime2). Npgsql's default maps DateTime to "timestamp with time zone" and refuses any
/// value whose Kind is not Utc — and values read back from the other providers, parsed from files or built with
/// <c>DateTime.Date</c> are Unspecified. Its documented legacy switch keeps "timestamp without time zone" for every
/// kind, which is what the other two providers do. It must be set before Npgsql's first use, so it is set when the
/// provider is chosen and again by the context's static constructor (design-time tools).
/// </summary>
public static class PostgreSqlTimestamps
{
    public static void Use() => AppContext.SetSwitch("Npgsql.EnableLegacyTimestampBehavior", true);
}
