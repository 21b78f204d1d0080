INSERT INTO kafka
SELECT event_type, person, auction, bid FROM datagen;
