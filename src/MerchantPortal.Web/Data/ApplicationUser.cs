using Microsoft.AspNetCore.Identity;

namespace MerchantPortal.Web.Data;

public class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string? DisplayName { get; set; }

    /// <summary>Preferred UI culture ("zh-CN" or "en"); the cookie wins while it is set.</summary>
    public string? PreferredCulture { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Disabled users cannot sign in (Admin switches this; lockout is for failed passwords).</summary>
    public bool IsDisabled { get; set; }
}
