-- AlterTable
ALTER TABLE "Order" ADD COLUMN "notes" TEXT;
