namespace MerchantPortal.Web.Features.Picking;

public sealed class PickingResources;
