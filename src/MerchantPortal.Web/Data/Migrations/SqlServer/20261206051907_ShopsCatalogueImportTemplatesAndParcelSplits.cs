using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ShopsCatalogueImportTemplatesAndParcelSplits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Waybills_LiveOrderId",
                table: "Waybills");

            migrationBuilder.DropIndex(
                name: "IX_WaybillBatchItems_BatchId_OrderId",
                table: "WaybillBatchItems");

            migrationBuilder.AddColumn<int>(
                name: "ParcelNo",
                table: "Waybills",
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "ParcelNo",
                table: "WaybillBatchItems",
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "MergedIntoOrderId",
                table: "Orders",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ParcelCount",
                table: "Orders",
                type: "int",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "ReceiverMasked",
                table: "Orders",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ShopId",
                table: "Orders",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EmptyRows",
                table: "OrderImports",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "MappingJson",
                table: "OrderImports",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaskedOrders",
                table: "OrderImports",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ShopId",
                table: "OrderImports",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TemplateName",
                table: "OrderImports",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CatalogueSkus",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Sku = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    Barcode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    WeightKg = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    LengthCm = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: true),
                    WidthCm = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: true),
                    HeightCm = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: true),
                    WarehouseId = table.Column<int>(type: "int", nullable: true),
                    Location = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogueSkus", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CatalogueSkus_Warehouses_WarehouseId",
                        column: x => x.WarehouseId,
                        principalTable: "Warehouses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "ImportTemplates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    HeaderSignature = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    MappingJson = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    Platform = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportTemplates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OrderParcelLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    ParcelNo = table.Column<int>(type: "int", nullable: false),
                    LineNo = table.Column<int>(type: "int", nullable: false),
                    Quantity = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderParcelLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderParcelLines_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Shops",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Code = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Platform = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    WarehouseId = table.Column<int>(type: "int", nullable: true),
                    SenderName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    SenderPhone = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    SenderProvince = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    SenderCity = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    SenderDistrict = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    SenderAddress = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Active = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Shops", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Shops_Warehouses_WarehouseId",
                        column: x => x.WarehouseId,
                        principalTable: "Warehouses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_LiveOrderId_ParcelNo",
                table: "Waybills",
                columns: new[] { "LiveOrderId", "ParcelNo" },
                unique: true,
                filter: "[LiveOrderId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_BatchId_OrderId_ParcelNo",
                table: "WaybillBatchItems",
                columns: new[] { "BatchId", "OrderId", "ParcelNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Orders_MergedIntoOrderId",
                table: "Orders",
                column: "MergedIntoOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "ShopId", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ShopId_ReceiverPhone_ReceiverName",
                table: "Orders",
                columns: new[] { "ShopId", "ReceiverPhone", "ReceiverName" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderImports_ShopId",
                table: "OrderImports",
                column: "ShopId");

            migrationBuilder.CreateIndex(
                name: "IX_CatalogueSkus_Barcode",
                table: "CatalogueSkus",
                column: "Barcode");

            migrationBuilder.CreateIndex(
                name: "IX_CatalogueSkus_Sku",
                table: "CatalogueSkus",
                column: "Sku",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CatalogueSkus_WarehouseId",
                table: "CatalogueSkus",
                column: "WarehouseId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportTemplates_HeaderSignature",
                table: "ImportTemplates",
                column: "HeaderSignature");

            migrationBuilder.CreateIndex(
                name: "IX_ImportTemplates_Name",
                table: "ImportTemplates",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrderParcelLines_OrderId_ParcelNo_LineNo",
                table: "OrderParcelLines",
                columns: new[] { "OrderId", "ParcelNo", "LineNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Shops_Code",
                table: "Shops",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Shops_Name",
                table: "Shops",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Shops_WarehouseId",
                table: "Shops",
                column: "WarehouseId");

            migrationBuilder.AddForeignKey(
                name: "FK_OrderImports_Shops_ShopId",
                table: "OrderImports",
                column: "ShopId",
                principalTable: "Shops",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Orders_Orders_MergedIntoOrderId",
                table: "Orders",
                column: "MergedIntoOrderId",
                principalTable: "Orders",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Orders_Shops_ShopId",
                table: "Orders",
                column: "ShopId",
                principalTable: "Shops",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OrderImports_Shops_ShopId",
                table: "OrderImports");

            migrationBuilder.DropForeignKey(
                name: "FK_Orders_Orders_MergedIntoOrderId",
                table: "Orders");

            migrationBuilder.DropForeignKey(
                name: "FK_Orders_Shops_ShopId",
                table: "Orders");

            migrationBuilder.DropTable(
                name: "CatalogueSkus");

            migrationBuilder.DropTable(
                name: "ImportTemplates");

            migrationBuilder.DropTable(
                name: "OrderParcelLines");

            migrationBuilder.DropTable(
                name: "Shops");

            migrationBuilder.DropIndex(
                name: "IX_Waybills_LiveOrderId_ParcelNo",
                table: "Waybills");

            migrationBuilder.DropIndex(
                name: "IX_WaybillBatchItems_BatchId_OrderId_ParcelNo",
                table: "WaybillBatchItems");

            migrationBuilder.DropIndex(
                name: "IX_Orders_MergedIntoOrderId",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_CreatedAtUtc_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_ShopId_ReceiverPhone_ReceiverName",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_OrderImports_ShopId",
                table: "OrderImports");

            migrationBuilder.DropColumn(
                name: "ParcelNo",
                table: "Waybills");

            migrationBuilder.DropColumn(
                name: "ParcelNo",
                table: "WaybillBatchItems");

            migrationBuilder.DropColumn(
                name: "MergedIntoOrderId",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "ParcelCount",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "ReceiverMasked",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "ShopId",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "EmptyRows",
                table: "OrderImports");

            migrationBuilder.DropColumn(
                name: "MappingJson",
                table: "OrderImports");

            migrationBuilder.DropColumn(
                name: "MaskedOrders",
                table: "OrderImports");

            migrationBuilder.DropColumn(
                name: "ShopId",
                table: "OrderImports");

            migrationBuilder.DropColumn(
                name: "TemplateName",
                table: "OrderImports");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_LiveOrderId",
                table: "Waybills",
                column: "LiveOrderId",
                unique: true,
                filter: "[LiveOrderId] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_BatchId_OrderId",
                table: "WaybillBatchItems",
                columns: new[] { "BatchId", "OrderId" },
                unique: true);
        }
    }
}
