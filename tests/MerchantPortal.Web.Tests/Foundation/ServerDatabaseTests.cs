using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Foundation;

/// <summary>
/// The portal on the engine the suite was asked for (<see cref="TestDatabase"/>): run by `./portal test` once on SQLite
/// and once on a throwaway PostgreSQL cluster, so "the other providers work" is a run, not a parse.
/// </summary>
[Trait("Database", TestDatabase.ServerTrait)]
public class ServerDatabaseTests
{
    [Fact]
    public async Task The_portal_migrates_an_empty_database_of_the_chosen_engine_and_its_bulk_writers_fill_it()
    {
        await using var factory = new PortalFactory();
        factory.Start();
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

        var expected = TestDatabase.Provider switch
        {
            DatabaseProvider.PostgreSql => typeof(PostgreSqlPortalDbContext),
            DatabaseProvider.SqlServer => typeof(SqlServerPortalDbContext),
            _ => typeof(SqlitePortalDbContext),
        };
        Assert.IsType(expected, db);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());

        // The demo fixture is written with the hand-written inserts (RawSql): orders with their lines, shipments with
        // their new identities and their scans (the import's history rows: OrderImportTests, also in this subset).
        Assert.Equal(200, await db.Set<Order>().CountAsync());
        Assert.Equal(await db.Set<Order>().SumAsync(o => o.LineCount), await db.Set<OrderLine>().CountAsync());
        var shipments = await db.Set<Shipment>().Select(s => s.Id).ToListAsync();
        Assert.NotEmpty(shipments);
        Assert.True(await db.Set<TrackingEvent>().Where(e => shipments.Contains(e.ShipmentId)).AnyAsync());
    }

    [Fact]
    public async Task A_database_left_at_the_first_migration_is_upgraded_in_place_at_start_up()
    {
        var folder = TempDirectory.Create("upgrade");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestDatabase.SettingsFor(folder)).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPortalData(configuration, folder);
        await using (var provider = services.BuildServiceProvider())
        await using (var old = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var migrations = old.Database.GetMigrations().ToList();
            Assert.True(migrations.Count > 1, "there is no later migration to upgrade to");
            await old.GetService<IMigrator>().MigrateAsync(migrations[0]);
            Assert.Equal([migrations[0]], await old.Database.GetAppliedMigrationsAsync());
        }

        await using var factory = new PortalFactory(folder);
        factory.Start();
        await using var db = await factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(200, await db.Set<Order>().CountAsync());
    }
}
