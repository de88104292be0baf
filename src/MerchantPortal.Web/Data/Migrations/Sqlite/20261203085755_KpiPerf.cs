using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KpiPerf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily");

            migrationBuilder.AddColumn<int>(
                name: "Span",
                table: "KpiDaily",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Span_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Trend",
                table: "KpiDaily",
                columns: new[] { "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince", "Final", "Delivered", "WithPromise", "OnTime", "FirstAttempt", "Exceptions", "Returned", "TransitCount", "TransitHoursSum" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_KpiDaily_Span_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily");

            migrationBuilder.DropIndex(
                name: "IX_KpiDaily_Trend",
                table: "KpiDaily");

            migrationBuilder.DropColumn(
                name: "Span",
                table: "KpiDaily");

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);
        }
    }
}
