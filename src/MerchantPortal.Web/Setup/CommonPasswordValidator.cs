using System.Collections.Frozen;
using MerchantPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Setup;

/// <summary>
/// ASVS 2.1.7: a password on a list of common or breached passwords is refused, whatever its length (twelve a's pass
/// a length rule). The list ships with the app (Setup/CommonPasswords, with its README); the comparison ignores case,
/// and a password that is one short unit repeated ("abcabcabcabc") is refused as well.
/// </summary>
public sealed class CommonPasswordValidator(IStringLocalizer<IdentityErrorResources> text) : IPasswordValidator<ApplicationUser>
{
    public const string Code = "CommonPassword";

    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = Code, Description = text[Code] })
            : IdentityResult.Success);

    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        return List.Value.Contains(lower) || IsRepeatedUnit(lower);
    }

    /// <summary>"aaaaaaaaaaaa", "abcabcabcabc": the whole password is a unit of up to 4 characters repeated.</summary>
    private static bool IsRepeatedUnit(string password)
    {
        for (var unit = 1; unit <= 4 && unit * 2 <= password.Length; unit++)
        {
            var repeated = true;
            for (var i = unit; i < password.Length && repeated; i++)
            {
                repeated = password[i] == password[i % unit];
            }
            if (repeated)
            {
                return true;
            }
        }
        return false;
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("MerchantPortal.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded in the app.");
        using var reader = new StreamReader(stream);
        var entries = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } entry)
            {
                entries.Add(entry.ToLowerInvariant());
            }
        }
        return entries.ToFrozenSet(StringComparer.Ordinal);
    }
}
