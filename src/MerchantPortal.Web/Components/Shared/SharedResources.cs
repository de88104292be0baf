namespace MerchantPortal.Web.Components.Shared;

/// <summary>Marker for the shell's strings (layout, navigation, common words): SharedResources.resx / .zh-CN.resx.</summary>
public sealed class SharedResources;
