using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Kpis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KpiDaily",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ShipperCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ServiceType = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    WarehouseId = table.Column<int>(type: "int", nullable: false),
                    OriginProvince = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    DestinationProvince = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Final = table.Column<int>(type: "int", nullable: false),
                    Delivered = table.Column<int>(type: "int", nullable: false),
                    WithPromise = table.Column<int>(type: "int", nullable: false),
                    OnTime = table.Column<int>(type: "int", nullable: false),
                    FirstAttempt = table.Column<int>(type: "int", nullable: false),
                    Exceptions = table.Column<int>(type: "int", nullable: false),
                    Returned = table.Column<int>(type: "int", nullable: false),
                    TransitCount = table.Column<int>(type: "int", nullable: false),
                    TransitHoursSum = table.Column<double>(type: "float", nullable: false),
                    TransitHistogram = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiDaily", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KpiRollupState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    WatermarkFinalAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    WatermarkShipmentId = table.Column<long>(type: "bigint", nullable: false),
                    LastReverseShipmentId = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    RebuiltAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiRollupState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SlaRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ShipperCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    OriginProvince = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    DestinationProvince = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    PromisedDays = table.Column<int>(type: "int", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaRules", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Day_ShipperCode_ServiceType_WarehouseId_OriginProvince_DestinationProvince",
                table: "KpiDaily",
                columns: new[] { "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SlaRules_ShipperCode_OriginProvince_DestinationProvince",
                table: "SlaRules",
                columns: new[] { "ShipperCode", "OriginProvince", "DestinationProvince" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KpiDaily");

            migrationBuilder.DropTable(
                name: "KpiRollupState");

            migrationBuilder.DropTable(
                name: "SlaRules");
        }
    }
}
