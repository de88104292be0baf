using System.Globalization;
using System.Resources;
using MerchantPortal.Web.Features.Admin.Users;

namespace MerchantPortal.Web.Tests.Admin;

/// <summary>
/// The users page words every refusal by its <see cref="UserAdminError"/> ("Error." + name); only
/// <see cref="UserAdminError.Failed"/> carries Identity's own (localized) descriptions. A refusal with an English
/// detail and no words of its own (as a racing change had) would reach a Chinese admin in English.
/// </summary>
public class UserAdminErrorTextTests
{
    private static readonly ResourceManager Resources = new("MerchantPortal.Web.Features.Admin.Users.UsersResources", typeof(UserAdminService).Assembly);

    public static TheoryData<UserAdminError> Refusals() => [.. Enum.GetValues<UserAdminError>()];

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Every_refusal_has_its_own_words_in_English_and_in_Chinese(UserAdminError error)
    {
        var english = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!.GetString("Error." + error);
        var chinese = Resources.GetResourceSet(new CultureInfo("zh-CN"), createIfNotExists: true, tryParents: false)!.GetString("Error." + error);

        Assert.False(string.IsNullOrWhiteSpace(english), $"Error.{error} (en)");
        Assert.False(string.IsNullOrWhiteSpace(chinese), $"Error.{error} (zh-CN)");
        Assert.Contains(chinese!, c => c is >= '\u4e00' and <= '\u9fff');
    }
}
