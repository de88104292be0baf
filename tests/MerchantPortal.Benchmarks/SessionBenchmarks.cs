using System.Diagnostics;
using System.Security.Claims;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// R7 "sign out other sessions": the cost of checking the sign-in cookie against the user row on every request
/// (<see cref="SessionValidator"/>), next to rebuilding the principal on every request, which is what Identity's
/// SecurityStampValidator with a zero interval would do instead.
/// </summary>
internal static class SessionBenchmarks
{
    public static async Task RunAsync(int runs)
    {
        var (directory, services) = BenchData.Create("sessions");
        services.AddDataProtection();
        services.AddHttpContextAccessor();
        services.AddPortalIdentity(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();
        try
        {
            await using (var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            {
                await db.Database.MigrateAsync();
            }
            ClaimsPrincipal principal;
            string userId;
            await using (var scope = provider.CreateAsyncScope())
            {
                var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
                await roles.CreateAsync(new IdentityRole(Roles.Ops));
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                var user = new ApplicationUser { UserName = "bench@x.local", Email = "bench@x.local", DisplayName = "Bench" };
                await users.CreateAsync(user, "a long benchmark password");
                await users.AddToRoleAsync(user, Roles.Ops);
                userId = user.Id;
                principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
            }

            var check = await MeasureAsync(provider, runs, async sp =>
            {
                var context = Context(sp, principal);
                await SessionValidator.ValidateAsync(context);
                if (context.Principal is null)
                {
                    throw new InvalidOperationException("The benchmark session was refused.");
                }
            });
            var rebuild = await MeasureAsync(provider, runs, async sp =>
            {
                var signIn = sp.GetRequiredService<SignInManager<ApplicationUser>>();
                var user = await signIn.UserManager.FindByIdAsync(userId);
                await signIn.CreateUserPrincipalAsync(user!);
            });
            Console.WriteLine($"| R7 | per-request session check (SessionValidator: one primary-key read), {runs:N0} runs | mean {check.Mean:0} µs, p95 {check.P95:0} µs | — |");
            Console.WriteLine($"| R7 | for comparison: rebuilding the principal per request (SecurityStampValidator at interval 0), {runs:N0} runs | mean {rebuild.Mean:0} µs, p95 {rebuild.P95:0} µs | — |");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static CookieValidatePrincipalContext Context(IServiceProvider services, ClaimsPrincipal principal)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var scheme = new AuthenticationScheme(IdentityConstants.ApplicationScheme, null, typeof(CookieAuthenticationHandler));
        return new CookieValidatePrincipalContext(http, scheme, new CookieAuthenticationOptions(), new AuthenticationTicket(principal, scheme.Name));
    }

    private static async Task<(double Mean, double P95)> MeasureAsync(ServiceProvider provider, int runs, Func<IServiceProvider, Task> step)
    {
        for (var i = 0; i < 50; i++)
        {
            await using var warm = provider.CreateAsyncScope();
            await step(warm.ServiceProvider);
        }
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var watch = Stopwatch.StartNew();
            await step(scope.ServiceProvider);
            times.Add(watch.Elapsed.TotalMicroseconds);
        }
        times.Sort();
        return (times.Average(), times[(int)(runs * 0.95)]);
    }
}
