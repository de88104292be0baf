using Hangfire;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Data.DemoData;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Setup;

/// <summary>What runs once before the portal serves: migrations, roles, demo data, recurring jobs, a first sweep.</summary>
public static class StartupTasks
{
    public static async Task PreparePortalAsync(this WebApplication app)
    {
        RequirePublicAddress(app);
        var services = app.Services;
        // Every setting bound with ValidateOnStart is checked now, before migrations or demo data touch anything;
        // the host would otherwise check them only when it starts serving, after all of that.
        services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Startup");
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            if (db.Database.IsSqlite())
            {
                // WAL is a property of the file: readers never block the writer (the list stays fast during imports).
                await db.Database.OpenConnectionAsync();
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
                await db.Database.CloseConnectionAsync();
            }
            await RefuseUnknownHistoryAsync(db);
            // Never EnsureCreated: the migration history is what lets production upgrade in place.
            await db.Database.MigrateAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    await roles.CreateAsync(new IdentityRole(role));
                }
            }
        }

        await BootstrapAdminAsync(app, logger);
        if (!await AdminPresenceHealthCheck.AnyAdminAsync(dbFactory, CancellationToken.None))
        {
            // Nobody can manage users, keys or carrier accounts until an Admin exists; /health/ready says so too.
            logger.LogWarning("No Admin account exists. Set Bootstrap:AdminEmail and Bootstrap:AdminPassword and restart to create the first one");
        }

        var demo = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoDataOptions>>().Value;
        if (app.Environment.IsDevelopment() && demo.Enabled)
        {
            foreach (var seeder in services.GetServices<IDemoDataSeeder>().OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(demo, CancellationToken.None);
            }
        }

        using (var connection = services.GetRequiredService<JobStorage>().GetConnection())
        {
            var existing = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Select(j => j.Id).ToList();
            services.GetRequiredService<RecurringJobsRegistry>().RegisterAll(existing);
        }
        // Work left open by a crash is picked up now rather than at the next sweep.
        services.GetRequiredService<IBackgroundJobClient>().Enqueue<WorkSweeper>("maintenance", s => s.RunAsync(CancellationToken.None));

        app.Lifetime.ApplicationStarted.Register(() => PrintWelcome(app, demo, logger));
    }

    /// <summary>
    /// Links that leave the portal (invitations, the carriers' push callback) are built from Portal:PublicBaseUrl. Without
    /// it they would come from the listening address or a request's Host header, which a client chooses; so outside
    /// Development the portal does not start without it.
    /// </summary>
    private static void RequirePublicAddress(WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            return;
        }
        var value = app.Configuration["Portal:PublicBaseUrl"];
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException(
                "Portal:PublicBaseUrl must be set outside Development to the portal's public address, e.g. https://portal.example.com " +
                "(environment variable Portal__PublicBaseUrl). Invitation links and the carriers' push callback are built from it.");
        }
    }

    /// <summary>
    /// Outside Development there are no demo users, so the first Admin comes from configuration
    /// (Bootstrap:AdminEmail and Bootstrap:AdminPassword, e.g. from environment variables or a secret store). It is
    /// created only while no Admin exists; afterwards the settings can and should be removed.
    /// </summary>
    private static async Task BootstrapAdminAsync(WebApplication app, ILogger logger)
    {
        var email = app.Configuration["Bootstrap:AdminEmail"];
        var password = app.Configuration["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return;
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                CreatedAtUtc = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create the bootstrap Admin {email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }
        }
        await users.AddToRoleAsync(user, Roles.Admin);
        logger.LogWarning("Created the first Admin {Email} from Bootstrap:AdminEmail; remove the Bootstrap settings now", email);
    }

    private static void PrintWelcome(WebApplication app, DemoDataOptions demo, ILogger logger)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"MerchantPortal is running at {address}");
        }
        if (app.Environment.IsDevelopment() && demo.Enabled)
        {
            Console.WriteLine($"Demo logins (password: {demo.Password}):");
            foreach (var (email, role, _) in DemoDataOptions.Users)
            {
                Console.WriteLine($"  {role,-16} {email}");
            }
            if (demo.ApiKey is { Length: > 0 })
            {
                Console.WriteLine($"Demo API key (X-Api-Key): {demo.ApiKey}");
            }
        }
        logger.LogInformation("Portal started in {Environment}", app.Environment.EnvironmentName);
    }

    /// <summary>
    /// A database whose history names migrations this build does not have was made by another build (before the
    /// migrations were squashed into one Initial, or by a newer release): migrating it would fail half-way on tables
    /// that exist. Stop with the reason instead.
    /// </summary>
    private static async Task RefuseUnknownHistoryAsync(PortalDbContext db)
    {
        if (!await db.Database.CanConnectAsync())
        {
            return;
        }
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> applied;
        try
        {
            applied = await db.Database.GetAppliedMigrationsAsync();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException)
        {
            return; // no history table yet: a new database
        }
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database ({db.Database.GetDbConnection().DataSource}) was made by another build of the portal: its history has migrations this build does not know " +
                $"({string.Join(", ", unknown.Take(3))}{(unknown.Count > 3 ? ", …" : "")}). For the demo database delete App_Data/portal.db and start again; " +
                "for a real one, run the build that made it.");
        }
    }
}
