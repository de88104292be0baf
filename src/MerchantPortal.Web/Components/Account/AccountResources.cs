namespace MerchantPortal.Web.Components.Account;

/// <summary>Marker for the sign-in pages' strings: AccountResources.resx / .zh-CN.resx.</summary>
public sealed class AccountResources;
