using System.Globalization;
using System.Security.Claims;
using MerchantPortal.Web.Components.Account;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Setup;

public sealed class PortalSessionOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Session";
    /// <summary>Sign out after this long without a request or UI activity (R7: 30 minutes).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Sign out this long after signing in, whatever the activity (R7: 12 hours).</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (IdleTimeout < TimeSpan.FromMinutes(1) || IdleTimeout > TimeSpan.FromDays(1))
        {
            yield return new($"Session:IdleTimeout is {IdleTimeout}; it must be between 1 minute and 1 day.", [nameof(IdleTimeout)]);
        }
        if (AbsoluteTimeout < IdleTimeout)
        {
            // A session could then never be idle for its whole idle timeout: the absolute limit would always end it first.
            yield return new($"Session:AbsoluteTimeout ({AbsoluteTimeout}) is shorter than Session:IdleTimeout ({IdleTimeout}).", [nameof(AbsoluteTimeout)]);
        }
    }
}

public sealed class PortalSecurityOptions
{
    public const string Section = "Security";
    /// <summary>R7: an Admin without two-factor is sent to enrol it before any other page (true in production).</summary>
    public bool RequireTwoFactorForAdmin { get; set; }
}

public static class IdentitySetup
{
    /// <summary>When the user signed in (Unix seconds); kept across principal refreshes for the absolute timeout.</summary>
    public const string AuthTimeClaim = "auth_time";

    /// <summary>The user row's concurrency stamp when the principal was built: any change to the user (role, 2FA) alters it.</summary>
    public const string UserVersionClaim = "user_version";

    /// <summary>
    /// Key of the clock sessions are measured by: always the system clock, whatever the portal's TimeProvider is (the demo
    /// run moves that one through weeks of history; a sign-in meanwhile must not be expired or issued in the past).
    /// </summary>
    public const string SessionClock = "session";

    /// <summary>How long an invitation link (a password-reset token) works.</summary>
    public static readonly TimeSpan InvitationLifespan = TimeSpan.FromDays(3);

    /// <summary>The part of IdentityOptions that shapes the EF model: shared by the app and every tool or test.</summary>
    public static void ConfigureStoreOptions(IdentityOptions options)
    {
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version2;
        options.Stores.MaxLengthForKeys = 128;
    }

    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        // The cookie's lifetime is fixed when the cookie handler is configured, so the session settings are read now.
        var session = configuration.GetValidated<PortalSessionOptions>(PortalSessionOptions.Section);
        services.AddValidatedOptions<PortalSessionOptions>(configuration, PortalSessionOptions.Section);
        services.AddKeyedSingleton(SessionClock, TimeProvider.System);
        // The framework fills these from the portal's TimeProvider only when they are unset.
        services.ConfigureAll<CookieAuthenticationOptions>(options => options.TimeProvider = TimeProvider.System);
        services.Configure<SecurityStampValidatorOptions>(options => options.TimeProvider = TimeProvider.System);
        services.AddValidatedOptions<PortalSecurityOptions>(configuration, PortalSecurityOptions.Section);
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = InvitationLifespan);

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);

        AddUserStore(services);
        services.AddScoped<IUserConfirmation<ApplicationUser>, PortalUserConfirmation>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<SignInGate>();

        // R7: the sign-in cookie is sent over HTTPS only, except on a developer's plain-http machine. "Same as request"
        // is not enough in production: behind a load balancer that ends TLS the app sees http, and the session cookie
        // would go out without Secure (docs/operations.md). The antiforgery cookie stays "same as request": set to
        // Always, antiforgery refuses every plain-http request outright (a 500 on each form page behind such a load
        // balancer unless forwarded headers are on); with forwarded headers it is Secure too (CookieSecurityTests).
        // Its framework default is "never Secure", even over https.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IHostEnvironment, IConfiguration>((options, env, config) => options.Cookie.SecurePolicy = CookiePolicyFor(env, config));
        services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        ConfigureSignInCookie(services, session);

        services.AddAuthorization(Policies.Configure);
        return services;
    }

    /// <summary>Users, roles and passwords: Identity over the portal's database.</summary>
    private static void AddUserStore(IServiceCollection services)
    {
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                ConfigureStoreOptions(options);
                // R7 / ASVS 2.1: length, not composition rules.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                // Sign-in failures lock a source out of an account (SignInThrottle), not the account for everyone;
                // these settings remain for Identity's other checks (two-factor codes).
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = true;
                // "Confirmed" here means "not disabled by an Admin": see PortalUserConfirmation.
                options.SignIn.RequireConfirmedAccount = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();
    }

    /// <summary>The sign-in cookie: idle timeout sliding, the absolute timeout and the session check on every request.</summary>
    private static void ConfigureSignInCookie(IServiceCollection services, PortalSessionOptions session)
    {
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ExpireTimeSpan = session.IdleTimeout;
            options.SlidingExpiration = true;
            options.Cookie.Name = ".MerchantPortal.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure or not is decided with the environment below (HttpsOnlyCookies).
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            options.Events.OnValidatePrincipal = async context =>
            {
                if (IsPastAbsoluteTimeout(context.Principal, context.HttpContext.RequestServices.GetRequiredKeyedService<TimeProvider>(SessionClock), session))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await SessionValidator.ValidateAsync(context);
            };
        });
    }

    /// <summary>
    /// <c>Security:HttpsOnlyCookies</c> when set; otherwise HTTPS-only everywhere but Development (the demo and the
    /// tests run on plain http://localhost).
    /// </summary>
    public static CookieSecurePolicy CookiePolicyFor(IHostEnvironment env, IConfiguration config) =>
        config.GetValue<bool?>("Security:HttpsOnlyCookies") ?? !env.IsDevelopment() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    public static bool IsPastAbsoluteTimeout(ClaimsPrincipal? principal, TimeProvider clock, PortalSessionOptions session)
    {
        var value = principal?.FindFirst(AuthTimeClaim)?.Value;
        if (value is null || !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return principal?.Identity?.IsAuthenticated == true;
        }
        return clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > session.AbsoluteTimeout;
    }

    /// <summary>Browsers get the login page; API and other non-page calls get a status code, never a redirect.</summary>
    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (PipelineSetup.IsApi(context.Request.Path))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Adds the sign-in time claim so the absolute session limit survives sliding renewals.</summary>
internal sealed class PortalClaimsPrincipalFactory(
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options,
    [FromKeyedServices(IdentitySetup.SessionClock)] TimeProvider clock)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(IdentitySetup.AuthTimeClaim, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(IdentitySetup.UserVersionClaim, user.ConcurrencyStamp ?? ""));
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim("display_name", user.DisplayName));
        }
        return identity;
    }
}

/// <summary>An Admin-disabled user is "not confirmed": SignInManager then refuses with NotAllowed.</summary>
internal sealed class PortalUserConfirmation : IUserConfirmation<ApplicationUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<ApplicationUser> manager, ApplicationUser user) => Task.FromResult(!user.IsDisabled);
}
