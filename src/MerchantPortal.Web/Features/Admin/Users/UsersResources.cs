namespace MerchantPortal.Web.Features.Admin.Users;

/// <summary>Marker for the user-management page's strings (UsersResources.resx, .zh-CN.resx).</summary>
public sealed class UsersResources;
