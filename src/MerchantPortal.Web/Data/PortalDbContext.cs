using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Data;

/// <summary>
/// The one context of the portal. Each provider has a derived type that owns its migration set
/// (<see cref="SqlitePortalDbContext"/>, <see cref="SqlServerPortalDbContext"/>): EF finds migrations by
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
