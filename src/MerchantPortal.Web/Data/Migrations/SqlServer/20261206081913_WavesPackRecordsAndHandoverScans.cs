using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WavesPackRecordsAndHandoverScans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "PackedWeightKg",
                table: "FreightDiscrepancies",
                type: "decimal(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CarrierHandovers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ShipperCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    WarehouseId = table.Column<int>(type: "int", nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ClosedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ClosedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarrierHandovers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CarrierHandovers_Warehouses_WarehouseId",
                        column: x => x.WarehouseId,
                        principalTable: "Warehouses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "PackRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WaybillId = table.Column<long>(type: "bigint", nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    TrackingNo = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Station = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    PackedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    PackedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    WeightKg = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    WeightSource = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    ItemCount = table.Column<int>(type: "int", nullable: false),
                    RefusedScans = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PackRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PackRecords_Waybills_WaybillId",
                        column: x => x.WaybillId,
                        principalTable: "Waybills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Waves",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    WarehouseId = table.Column<int>(type: "int", nullable: true),
                    CarrierAccountId = table.Column<int>(type: "int", nullable: false),
                    CutOffUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    BatchId = table.Column<long>(type: "bigint", nullable: true),
                    OrderCount = table.Column<int>(type: "int", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Waves", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Waves_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Waves_Warehouses_WarehouseId",
                        column: x => x.WarehouseId,
                        principalTable: "Warehouses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Waves_WaybillBatches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "WaybillBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "HandoverScans",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    HandoverId = table.Column<long>(type: "bigint", nullable: false),
                    Code = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    WaybillId = table.Column<long>(type: "bigint", nullable: true),
                    AcceptedWaybillId = table.Column<long>(type: "bigint", nullable: true),
                    Outcome = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Detail = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ScannedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    ScannedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandoverScans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HandoverScans_CarrierHandovers_HandoverId",
                        column: x => x.HandoverId,
                        principalTable: "CarrierHandovers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CarrierHandovers_Day_ShipperCode",
                table: "CarrierHandovers",
                columns: new[] { "Day", "ShipperCode" });

            migrationBuilder.CreateIndex(
                name: "IX_CarrierHandovers_WarehouseId",
                table: "CarrierHandovers",
                column: "WarehouseId");

            migrationBuilder.CreateIndex(
                name: "IX_HandoverScans_AcceptedWaybillId",
                table: "HandoverScans",
                column: "AcceptedWaybillId",
                unique: true,
                filter: "[AcceptedWaybillId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_HandoverScans_HandoverId_Id",
                table: "HandoverScans",
                columns: new[] { "HandoverId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_HandoverScans_WaybillId",
                table: "HandoverScans",
                column: "WaybillId");

            migrationBuilder.CreateIndex(
                name: "IX_PackRecords_OrderId",
                table: "PackRecords",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_PackRecords_PackedAtUtc",
                table: "PackRecords",
                column: "PackedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_PackRecords_Station_PackedAtUtc",
                table: "PackRecords",
                columns: new[] { "Station", "PackedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PackRecords_TrackingNo",
                table: "PackRecords",
                column: "TrackingNo");

            migrationBuilder.CreateIndex(
                name: "IX_PackRecords_WaybillId",
                table: "PackRecords",
                column: "WaybillId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Waves_BatchId",
                table: "Waves",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_Waves_CarrierAccountId",
                table: "Waves",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Waves_Code",
                table: "Waves",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Waves_CreatedAtUtc",
                table: "Waves",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Waves_WarehouseId",
                table: "Waves",
                column: "WarehouseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HandoverScans");

            migrationBuilder.DropTable(
                name: "PackRecords");

            migrationBuilder.DropTable(
                name: "Waves");

            migrationBuilder.DropTable(
                name: "CarrierHandovers");

            migrationBuilder.DropColumn(
                name: "PackedWeightKg",
                table: "FreightDiscrepancies");
        }
    }
}
